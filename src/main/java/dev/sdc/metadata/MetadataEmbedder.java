package dev.sdc.metadata;

import dev.sdc.bitstream.SdcMetadata;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Writes a .sdc file's EXIF and XMP back into an encoded output image and tags it sRGB: PNG gets
 * {@code sRGB}, {@code eXIf} and an {@code iTXt} XMP chunk after IHDR; JPEG gets APP1 EXIF, APP1 XMP and an
 * APP2 sRGB profile after SOI/APP0; TIFF gets a new IFD0 at its end with the camera tags, the EXIF and GPS
 * IFDs, XMP (tag 700) and the sRGB profile (tag 34675). Other formats (BMP) are returned unchanged.
 */
public final class MetadataEmbedder {
    private static final int JPEG_MAX_SEGMENT = 65_535 - 2;
    private static final byte[] EXIF_ID = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] XMP_ID = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);

    private MetadataEmbedder() {
    }

    /** {@code encoded} in format {@code extension} (png, jpg, jpeg, tif, tiff, bmp) with {@code md} added. */
    public static byte[] embed(byte[] encoded, String extension, SdcMetadata md, Consumer<String> warn) {
        java.util.function.Function<SdcMetadata, byte[]> writer = switch (extension) {
            case "png" -> m -> png(encoded, m);
            case "jpg", "jpeg" -> m -> jpeg(encoded, m, warn);
            case "tif", "tiff" -> m -> tiff(encoded, m, warn);
            default -> null; // BMP carries no metadata: nothing to check, nothing to warn of
        };
        return writer == null ? encoded : writer.apply(upright(md, warn));
    }

    /**
     * {@code md} with EXIF and XMP Orientation 1. sdc's encoder writes them so, but a file from another writer
     * may not, and an Orientation of 6 next to upright pixels would make every viewer turn the image. An
     * EXIF block that cannot be parsed is left out with a warning: it cannot be checked.
     */
    static SdcMetadata upright(SdcMetadata md, Consumer<String> warn) {
        if (md.exif().isEmpty() && md.xmp().isEmpty()) {
            return md;
        }
        byte[] exif = null;
        if (md.exif().isPresent()) {
            try {
                exif = ExifCleaner.upright(md.exif().get());
            } catch (MalformedMetadataException e) {
                warn.accept("EXIF block left out: " + e.getMessage());
            }
        }
        String xmp = md.xmp().map(XmpPackets::upright).orElse(null);
        return SdcMetadata.of(exif, xmp, md.iccName().orElse(null));
    }

    static byte[] srgbProfile() {
        return ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
    }

    private static byte[] png(byte[] png, SdcMetadata md) {
        int ihdrEnd = 8 + 8 + ByteBuffer.wrap(png).getInt(8) + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + 4096);
        out.write(png, 0, ihdrEnd);
        if (!hasPngChunk(png, "sRGB") && !hasPngChunk(png, "iCCP")) {
            out.writeBytes(pngChunk("sRGB", new byte[] {0})); // perceptual
        }
        md.exif().ifPresent(e -> out.writeBytes(pngChunk("eXIf", e)));
        md.xmp().ifPresent(x -> {
            ByteArrayOutputStream c = new ByteArrayOutputStream();
            c.writeBytes("XML:com.adobe.xmp".getBytes(StandardCharsets.ISO_8859_1));
            c.writeBytes(new byte[] {0, 0, 0, 0, 0}); // NUL, uncompressed, method, empty language, empty keyword
            c.writeBytes(x.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(pngChunk("iTXt", c.toByteArray()));
        });
        out.write(png, ihdrEnd, png.length - ihdrEnd);
        return out.toByteArray();
    }

    private static boolean hasPngChunk(byte[] png, String type) {
        ByteBuffer b = ByteBuffer.wrap(png);
        for (int p = 8; p + 12 <= png.length; p += 12 + b.getInt(p)) {
            if (new String(png, p + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
                return true;
            }
            if (b.getInt(p) < 0) {
                return false;
            }
        }
        return false;
    }

    private static byte[] pngChunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        b.putInt(data.length).put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static byte[] jpeg(byte[] jpg, SdcMetadata md, Consumer<String> warn) {
        int at = 2;
        if (jpg.length > 6 && (jpg[2] & 0xFF) == 0xFF && (jpg[3] & 0xFF) == 0xE0) { // keep JFIF's APP0 first
            at = 4 + (((jpg[4] & 0xFF) << 8) | (jpg[5] & 0xFF));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpg.length + 8192);
        out.write(jpg, 0, at);
        Optional<byte[]> exif = md.exif();
        if (exif.isPresent()) {
            if (EXIF_ID.length + exif.get().length > JPEG_MAX_SEGMENT) {
                warn.accept("EXIF of " + exif.get().length + " bytes does not fit a JPEG APP1 segment; left out");
            } else {
                out.writeBytes(segment(0xE1, EXIF_ID, exif.get()));
            }
        }
        Optional<String> xmp = md.xmp();
        if (xmp.isPresent()) {
            byte[] x = xmp.get().getBytes(StandardCharsets.UTF_8);
            if (XMP_ID.length + x.length > JPEG_MAX_SEGMENT) {
                warn.accept("XMP of " + x.length + " bytes does not fit a JPEG APP1 segment; left out");
            } else {
                out.writeBytes(segment(0xE1, XMP_ID, x));
            }
        }
        byte[] icc = srgbProfile();
        out.writeBytes(segment(0xE2, ICC_ID, concat(new byte[] {1, 1}, icc)));
        out.write(jpg, at, jpg.length - at);
        return out.toByteArray();
    }

    private static byte[] segment(int marker, byte[] id, byte[] payload) {
        int len = 2 + id.length + payload.length;
        ByteBuffer b = ByteBuffer.allocate(2 + len);
        b.put((byte) 0xFF).put((byte) marker).putShort((short) len).put(id).put(payload);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * Appends a new IFD0 (the original entries plus the metadata) at the end of the TIFF and points the
     * header at it; the image data and the old IFD stay where they are, so no strip offset changes.
     */
    private static byte[] tiff(byte[] tif, SdcMetadata md, Consumer<String> warn) {
        TiffIfds.Parsed image;
        try {
            image = TiffIfds.parse(tif);
        } catch (TiffIfds.MalformedException e) {
            warn.accept("cannot add metadata to the TIFF output (" + e.getMessage() + ")");
            return tif;
        }
        ByteOrder order = image.order();
        TiffIfds.Ifd ifd0 = image.ifd0();
        if (md.exif().isPresent()) {
            try {
                TiffIfds.Parsed exif = TiffIfds.parse(md.exif().get());
                if (exif.order() != order) {
                    warn.accept("EXIF byte order differs from the TIFF output's; EXIF left out of the TIFF");
                } else {
                    for (TiffIfds.Entry e : exif.ifd0().entries) {
                        if (ifd0.find(e.tag()) == null && !isImageStructure(e.tag())) {
                            ifd0.put(e);
                        }
                    }
                }
            } catch (TiffIfds.MalformedException e) {
                warn.accept("EXIF in the .sdc file is malformed (" + e.getMessage() + "); left out");
            }
        }
        md.xmp().ifPresent(x -> {
            byte[] v = x.getBytes(StandardCharsets.UTF_8);
            ifd0.put(new TiffIfds.Entry(700, 1, v.length, v, null, -1));
        });
        if (ifd0.find(34675) == null) {
            byte[] icc = srgbProfile();
            ifd0.put(new TiffIfds.Entry(34675, 7, icc.length, icc, null, -1));
        }
        long base = tif.length + (tif.length & 1);
        byte[] ifd = TiffIfds.layout(order, ifd0, base);
        ByteBuffer out = ByteBuffer.allocate((int) base + ifd.length).order(order);
        out.put(tif).position((int) base);
        out.put(ifd);
        out.putInt(4, (int) base);
        return out.array();
    }

    /** Tags that describe how a TIFF's pixels are stored: never taken from EXIF into a TIFF output. */
    private static boolean isImageStructure(int tag) {
        return (tag >= 0x0100 && tag <= 0x0106) || tag == 0x0111 || tag == 0x0115 || tag == 0x0116
                || tag == 0x0117 || tag == 0x011A || tag == 0x011B || tag == 0x011C || tag == 0x0128
                || tag == 0x0201 || tag == 0x0202 || tag == 0x0140 || tag == 0x0152 || tag == 0x0153;
    }
}
