package dev.sdc.metadata;

/**
 * Metadata found in an input file, raw: EXIF as a TIFF stream, the XMP packet, the colour profile's
 * description. Any of them may be null.
 */
public record PhotoMetadata(byte[] exif, String xmp, String iccName) {
    public static final PhotoMetadata NONE = new PhotoMetadata(null, null, null);
}
