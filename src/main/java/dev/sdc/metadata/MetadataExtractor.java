package dev.sdc.metadata;

import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;

import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.InflaterInputStream;

/**
 * Finds EXIF, XMP and the ICC profile's name in the bytes of a JPEG, PNG, TIFF or WebP file, without
 * decoding pixels. A container it cannot walk yields what was found so far and a warning.
 */
public final class MetadataExtractor {
    static final int MAX_BLOCK = 16 << 20;

    private MetadataExtractor() {
    }

    public static PhotoMetadata extract(byte[] file, String what, Consumer<String> warn) {
        try {
            if (file.length >= 3 && (file[0] & 0xFF) == 0xFF && (file[1] & 0xFF) == 0xD8) {
                return jpeg(file);
            }
            if (file.length >= 8 && (file[0] & 0xFF) == 0x89 && file[1] == 'P' && file[2] == 'N' && file[3] == 'G') {
                return png(file);
            }
            if (file.length >= 12 && file[0] == 'R' && file[1] == 'I' && file[8] == 'W' && file[9] == 'E') {
                return webp(file);
            }
            if (file.length >= 8 && (file[0] == 'I' || file[0] == 'M')) {
                return tiff(file);
            }
        } catch (IOException | RuntimeException | TiffIfds.MalformedException e) {
            warn.accept(what + ": cannot read its metadata (" + e.getMessage() + "); encoding without it");
        }
        return PhotoMetadata.NONE;
    }

    private static PhotoMetadata jpeg(byte[] file) throws IOException {
        byte[] exif = null;
        String xmp = null;
        ByteArrayOutputStream icc = new ByteArrayOutputStream();
        // in memory as ImageFiles.decode does: ImageIO.createImageInputStream may spill to a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(file))) {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, Map.of(
                    JPEG.APP1, JPEGSegmentUtil.ALL_IDS, JPEG.APP2, JPEGSegmentUtil.ALL_IDS));
            for (JPEGSegment s : segments) {
                String id = s.identifier();
                byte[] data = readAll(s.data());
                if (s.marker() == JPEG.APP1 && "Exif".equals(id) && exif == null) {
                    // data() starts after "Exif\0"; EXIF adds one more pad byte before the TIFF header
                    exif = data.length > 0 && data[0] == 0 ? Arrays.copyOfRange(data, 1, data.length) : data;
                } else if (s.marker() == JPEG.APP1 && "http://ns.adobe.com/xap/1.0/".equals(id) && xmp == null) {
                    xmp = new String(data, StandardCharsets.UTF_8);
                } else if (s.marker() == JPEG.APP2 && "ICC_PROFILE".equals(id) && data.length > 2) {
                    icc.write(data, 2, data.length - 2); // chunk number and count
                }
            }
        }
        return new PhotoMetadata(exif, xmp, IccNames.describe(icc.toByteArray()));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readNBytes(MAX_BLOCK);
        }
    }

    private static PhotoMetadata png(byte[] file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file);
        int p = 8;
        byte[] exif = null;
        String xmp = null, icc = null;
        while (p + 12 <= file.length) {
            long len = b.getInt(p) & 0xFFFFFFFFL;
            String type = new String(file, p + 4, 4, StandardCharsets.ISO_8859_1);
            if (len > file.length - p - 12) {
                throw new IOException("PNG chunk " + type + " overruns the file");
            }
            int d = p + 8;
            if (type.equals("eXIf")) {
                exif = Arrays.copyOfRange(file, d, d + (int) len);
            } else if (type.equals("iTXt")) {
                String x = itxtXmp(Arrays.copyOfRange(file, d, d + (int) len));
                xmp = x != null ? x : xmp;
            } else if (type.equals("iCCP")) {
                int z = indexOf(file, d, d + (int) len, (byte) 0);
                icc = z > d ? new String(file, d, z - d, StandardCharsets.ISO_8859_1) : null;
                if (z > 0 && z + 2 <= d + len) {
                    byte[] profile = inflate(Arrays.copyOfRange(file, z + 2, d + (int) len));
                    String desc = IccNames.describe(profile);
                    icc = desc != null ? desc : icc;
                }
            } else if (type.equals("IEND")) {
                break;
            }
            p = d + (int) len + 4;
        }
        return new PhotoMetadata(exif, xmp, icc);
    }

    /** The text of an iTXt chunk whose keyword is "XML:com.adobe.xmp", else null. */
    private static String itxtXmp(byte[] c) throws IOException {
        int k = indexOf(c, 0, c.length, (byte) 0);
        if (k < 0 || !new String(c, 0, k, StandardCharsets.ISO_8859_1).equals("XML:com.adobe.xmp") || k + 3 > c.length) {
            return null;
        }
        boolean compressed = c[k + 1] != 0;
        int lang = indexOf(c, k + 3, c.length, (byte) 0);
        int trans = lang < 0 ? -1 : indexOf(c, lang + 1, c.length, (byte) 0);
        if (trans < 0) {
            throw new IOException("malformed iTXt chunk");
        }
        byte[] text = Arrays.copyOfRange(c, trans + 1, c.length);
        return new String(compressed ? inflate(text) : text, StandardCharsets.UTF_8);
    }

    private static byte[] inflate(byte[] z) throws IOException {
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(z))) {
            return in.readNBytes(MAX_BLOCK);
        }
    }

    private static PhotoMetadata webp(byte[] file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int p = 12;
        byte[] exif = null;
        String xmp = null, icc = null;
        while (p + 8 <= file.length) {
            String type = new String(file, p, 4, StandardCharsets.ISO_8859_1);
            long len = b.getInt(p + 4) & 0xFFFFFFFFL;
            if (len > file.length - p - 8) {
                throw new IOException("WebP chunk " + type + " overruns the file");
            }
            byte[] data = Arrays.copyOfRange(file, p + 8, p + 8 + (int) len);
            switch (type) {
                case "EXIF" -> exif = data.length > 6 && data[0] == 'E' && data[1] == 'x'
                        ? Arrays.copyOfRange(data, 6, data.length) : data;
                case "XMP " -> xmp = new String(data, StandardCharsets.UTF_8);
                case "ICCP" -> icc = IccNames.describe(data);
                default -> { }
            }
            p += 8 + (int) len + (int) (len & 1);
        }
        return new PhotoMetadata(exif, xmp, icc);
    }

    /** A TIFF's own IFD0 holds the camera tags; copy those (not the image structure) into an EXIF stream. */
    private static PhotoMetadata tiff(byte[] file) throws TiffIfds.MalformedException {
        TiffIfds.Parsed p = TiffIfds.parse(file);
        TiffIfds.Ifd exif = new TiffIfds.Ifd();
        String xmp = null, icc = null;
        for (TiffIfds.Entry e : p.ifd0().entries) {
            switch (e.tag()) {
                case 0x010E, 0x010F, 0x0110, 0x0112, 0x0131, 0x0132, 0x013B, 0x8298, TiffIfds.EXIF_IFD, TiffIfds.GPS_IFD ->
                        exif.entries.add(e);
                case 700 -> xmp = new String(e.value(), StandardCharsets.UTF_8);
                case 34675 -> icc = IccNames.describe(e.value());
                default -> { }
            }
        }
        return new PhotoMetadata(exif.entries.isEmpty() ? null : TiffIfds.write(p.order(), exif), xmp, icc);
    }

    static int indexOf(byte[] a, int from, int to, byte v) {
        for (int i = from; i < Math.min(to, a.length); i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
