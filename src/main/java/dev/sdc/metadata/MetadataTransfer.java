package dev.sdc.metadata;

import dev.sdc.bitstream.SdcMetadata;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** From an input file's metadata to the .sdc metadata section, under a {@link MetadataPolicy}. */
public final class MetadataTransfer {
    private MetadataTransfer() {
    }

    /**
     * What was kept and dropped, in bytes, for reports and the README's measurements.
     *
     * @param metadata       the section to store
     * @param exifIn         EXIF bytes found in the input (0: none)
     * @param exifKept       EXIF bytes stored
     * @param thumbnailBytes thumbnail (IFD1) bytes dropped
     * @param makerNoteBytes MakerNote bytes dropped
     * @param xmpIn          XMP bytes found in the input
     * @param xmpKept        XMP bytes stored
     */
    public record Prepared(SdcMetadata metadata, int exifIn, int exifKept, int thumbnailBytes, int makerNoteBytes,
                           int xmpIn, int xmpKept) {
        public int droppedBytes() {
            return exifIn - exifKept + xmpIn - xmpKept;
        }
    }

    /**
     * Reads the metadata of {@code inputFile} (JPEG, PNG, TIFF, WebP bytes) and prepares it for a
     * {@code width} × {@code height} upright sRGB .sdc image. Malformed EXIF or XMP becomes one warning and
     * is left out; the image is still encoded.
     */
    public static Prepared prepare(byte[] inputFile, String what, int width, int height, MetadataPolicy policy,
                                   Consumer<String> warn) {
        return prepare(ByteBuffer.wrap(inputFile), what, width, height, policy, warn);
    }

    /** As {@link #prepare(byte[], String, int, int, MetadataPolicy, Consumer)} over a buffer (a mapped file). */
    public static Prepared prepare(ByteBuffer inputFile, String what, int width, int height, MetadataPolicy policy,
                                   Consumer<String> warn) {
        if (!policy.any()) {
            return new Prepared(SdcMetadata.NONE, 0, 0, 0, 0, 0, 0);
        }
        PhotoMetadata found = MetadataExtractor.extract(inputFile, what, warn);
        return prepare(found, what, width, height, policy, warn);
    }

    public static Prepared prepare(PhotoMetadata found, String what, int width, int height, MetadataPolicy policy,
                                   Consumer<String> warn) {
        byte[] exif = null;
        int exifIn = found.exif() == null ? 0 : found.exif().length;
        int thumb = 0, makerNote = 0;
        if (policy.exif() && found.exif() != null) {
            try {
                ExifCleaner.Result r = ExifCleaner.clean(found.exif(), width, height, policy.keepAll());
                exif = r.exif();
                thumb = r.thumbnailBytes();
                makerNote = r.makerNoteBytes();
            } catch (MalformedMetadataException e) {
                warn.accept(what + ": " + e.getMessage() + "; encoding without EXIF");
            }
        }
        String xmp = null;
        int xmpIn = found.xmp() == null ? 0 : found.xmp().getBytes(StandardCharsets.UTF_8).length;
        if (policy.xmp() && found.xmp() != null) {
            try {
                xmp = XmpPackets.clean(found.xmp());
            } catch (MalformedMetadataException e) {
                warn.accept(what + ": " + e.getMessage() + "; encoding without XMP");
            }
        }
        String icc = policy.iccName() ? found.iccName() : null;
        SdcMetadata md = SdcMetadata.of(exif, xmp, icc);
        return new Prepared(md, exifIn, exif == null ? 0 : exif.length, thumb, makerNote, xmpIn,
                xmp == null ? 0 : xmp.getBytes(StandardCharsets.UTF_8).length);
    }
}
