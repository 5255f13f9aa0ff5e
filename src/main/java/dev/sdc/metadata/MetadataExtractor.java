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
 * decoding pixels. A container it cannot walk (a chunk that runs past the end) yields no metadata and one
 * warning: the image is still encoded.
 *
 * <p>The file is a {@link ByteBuffer} from index 0 to its limit, so that an input on disk can be mapped
 * rather than read: only the pages that hold chunk headers and metadata are touched, and a 700 MB PNG costs
 * no 700 MB of heap (its pixels were already read in bands by {@code ImageFiles}).
 */
public final class MetadataExtractor {
    static final int MAX_BLOCK = 16 << 20;

    private MetadataExtractor() {
    }

    public static PhotoMetadata extract(byte[] file, String what, Consumer<String> warn) {
        return extract(ByteBuffer.wrap(file), what, warn);
    }

    /** As {@link #extract(byte[], String, Consumer)} over {@code file}'s bytes 0 to limit (not its position). */
    public static PhotoMetadata extract(ByteBuffer file, String what, Consumer<String> warn) {
        ByteBuffer f = file.duplicate().order(ByteOrder.BIG_ENDIAN);
        int n = f.limit();
        try {
            if (n >= 3 && u8(f, 0) == 0xFF && u8(f, 1) == 0xD8) {
                return jpeg(f);
            }
            if (n >= 8 && u8(f, 0) == 0x89 && f.get(1) == 'P' && f.get(2) == 'N' && f.get(3) == 'G') {
                return png(f);
            }
            if (n >= 12 && f.get(0) == 'R' && f.get(1) == 'I' && f.get(8) == 'W' && f.get(9) == 'E') {
                return webp(f);
            }
            if (n >= 8 && (f.get(0) == 'I' || f.get(0) == 'M')) {
                return tiff(f);
            }
        } catch (IOException | RuntimeException | TiffIfds.MalformedException e) {
            warn.accept(what + ": cannot read its metadata (" + e.getMessage() + "); encoding without it");
        }
        return PhotoMetadata.NONE;
    }

    private static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xFF;
    }

    /** Bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code b}, copied. */
    private static byte[] copy(ByteBuffer b, int from, int to) {
        byte[] out = new byte[to - from];
        b.get(from, out);
        return out;
    }

    private static String latin1(ByteBuffer b, int from, int length) {
        return new String(copy(b, from, from + length), StandardCharsets.ISO_8859_1);
    }

    private static PhotoMetadata jpeg(ByteBuffer file) throws IOException {
        byte[] exif = null;
        String xmp = null;
        ByteArrayOutputStream icc = new ByteArrayOutputStream();
        // in memory as ImageFiles.decode does: ImageIO.createImageInputStream may spill to a temporary file.
        // The segment reader stops at the start of scan, so only the header is read (and cached).
        try (ImageInputStream in = new MemoryCacheImageInputStream(new BufferInputStream(file))) {
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

    /** A buffer's bytes from its index 0 as a stream, read where the reader asks, never copied whole. */
    private static final class BufferInputStream extends InputStream {
        private final ByteBuffer b;

        BufferInputStream(ByteBuffer b) {
            this.b = b.duplicate().position(0);
        }

        @Override
        public int read() {
            return b.hasRemaining() ? b.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!b.hasRemaining()) {
                return -1;
            }
            int k = Math.min(len, b.remaining());
            b.get(dst, off, k);
            return k;
        }

        @Override
        public long skip(long n) {
            int k = (int) Math.max(0, Math.min(n, b.remaining()));
            b.position(b.position() + k);
            return k;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readNBytes(MAX_BLOCK);
        }
    }

    private static PhotoMetadata png(ByteBuffer file) throws IOException {
        int n = file.limit();
        int p = 8;
        byte[] exif = null;
        String xmp = null, icc = null;
        while (p + 12 <= n) {
            long len = file.getInt(p) & 0xFFFFFFFFL;
            String type = latin1(file, p + 4, 4);
            if (len > n - p - 12) {
                throw new IOException("PNG chunk " + type + " overruns the file");
            }
            int d = p + 8;
            if (type.equals("eXIf")) {
                exif = copy(file, d, d + (int) len);
            } else if (type.equals("iTXt")) {
                String x = itxtXmp(copy(file, d, d + (int) len));
                xmp = x != null ? x : xmp;
            } else if (type.equals("iCCP")) {
                byte[] chunk = copy(file, d, d + (int) len);
                int z = indexOf(chunk, 0, chunk.length, (byte) 0);
                icc = z > 0 ? new String(chunk, 0, z, StandardCharsets.ISO_8859_1) : null;
                if (z >= 0 && z + 2 <= chunk.length) {
                    byte[] profile = inflate(Arrays.copyOfRange(chunk, z + 2, chunk.length));
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

    private static PhotoMetadata webp(ByteBuffer file) throws IOException {
        ByteBuffer b = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = b.limit();
        int p = 12;
        byte[] exif = null;
        String xmp = null, icc = null;
        while (p + 8 <= n) {
            String type = latin1(b, p, 4);
            long len = b.getInt(p + 4) & 0xFFFFFFFFL;
            if (len > n - p - 8) {
                throw new IOException("WebP chunk " + type + " overruns the file");
            }
            switch (type) {
                case "EXIF" -> {
                    byte[] data = copy(b, p + 8, p + 8 + (int) len);
                    exif = data.length > 6 && data[0] == 'E' && data[1] == 'x'
                            ? Arrays.copyOfRange(data, 6, data.length) : data;
                }
                case "XMP " -> xmp = new String(copy(b, p + 8, p + 8 + (int) len), StandardCharsets.UTF_8);
                case "ICCP" -> icc = IccNames.describe(copy(b, p + 8, p + 8 + (int) len));
                default -> { } // the image chunks (VP8, VP8L, ANMF...) are skipped, not copied
            }
            p += 8 + (int) len + (int) (len & 1);
        }
        return new PhotoMetadata(exif, xmp, icc);
    }

    /** A TIFF's own IFD0 holds the camera tags; copy those (not the image structure) into an EXIF stream. */
    private static PhotoMetadata tiff(ByteBuffer file) throws TiffIfds.MalformedException {
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
