package dev.sdc.metadata;

/** An input's EXIF or XMP that cannot be parsed: sdc warns and encodes the image without that block. */
public final class MalformedMetadataException extends Exception {
    public MalformedMetadataException(String message) {
        super(message);
    }
}
