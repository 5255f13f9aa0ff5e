package dev.sdc.metadata;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Makes a synthetic camera-style JPEG for tests and measurements: the EXIF a camera writes (date, make,
 * model, lens, GPS, Orientation 6, an IFD1 JPEG thumbnail and a MakerNote-sized opaque blob) and an XMP
 * packet with a rating and a title. The EXIF is laid out by hand (big-endian TIFF) so that it does not depend
 * on the library under test.
 *
 * <p>{@code java -cp target/sdc.jar dev.sdc.metadata.CameraStylePhoto OUT.jpg [WIDTH HEIGHT [MAKERNOTE_BYTES]]}
 */
public final class CameraStylePhoto {
    public static final String MAKE = "SdcTestCam";
    public static final String MODEL = "Model X1";
    public static final String DATE = "2024:05:17 10:30:00";
    public static final String TITLE = "Harbour at dawn";
    public static final int RATING = 4;
    public static final int DEFAULT_MAKERNOTE = 30_000;

    private CameraStylePhoto() {
    }

    public static void main(String[] args) throws IOException {
        int w = args.length > 2 ? Integer.parseInt(args[1]) : 768;
        int h = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        int mn = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_MAKERNOTE;
        Files.write(Path.of(args[0]), jpeg(w, h, mn));
    }

    /** A smooth test picture (stored sideways, as a camera held upright with Orientation 6 stores it). */
    public static BufferedImage picture(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 255 * x / Math.max(1, w - 1), g = 255 * y / Math.max(1, h - 1);
                int b = (x < w / 4) ? 230 : 40; // a blue band on the left: the top of the upright picture
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    /** The camera-style JPEG bytes. */
    public static byte[] jpeg(int w, int h, int makerNoteBytes) {
        byte[] main = encodeJpeg(picture(w, h));
        byte[] thumb = encodeJpeg(scaled(picture(w, h), 160, 120));
        byte[] exif = exif(w, h, thumb, makerNoteBytes);
        return insertAfterSoi(main, app1("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), exif),
                app1("http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1),
                        xmp().getBytes(StandardCharsets.UTF_8)));
    }

    public static String xmp() {
        return "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                + "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\""
                + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\""
                + " xmp:Rating=\"" + RATING + "\" tiff:Orientation=\"6\">\n"
                + "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + TITLE + "</rdf:li></rdf:Alt></dc:title>\n"
                + "</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>";
    }

    /** Big-endian EXIF TIFF stream: IFD0 → Exif IFD, GPS IFD; IFD1 with the thumbnail. */
    public static byte[] exif(int w, int h, byte[] thumbnail, int makerNoteBytes) {
        byte[] makerNote = new byte[makerNoteBytes];
        new Random(7).nextBytes(makerNote);
        Ifd exifIfd = new Ifd()
                .ascii(0x9003, DATE)
                .add(0x927C, 7, makerNote.length, makerNote)
                .shortValue(0xA001, 1)
                .longValue(0xA002, w)
                .longValue(0xA003, h)
                .ascii(0xA434, "Test Lens 35mm F1.8");
        Ifd gps = new Ifd()
                .add(0x0000, 1, 4, new byte[] {2, 3, 0, 0})
                .ascii(0x0001, "N")
                .add(0x0002, 5, 3, rationals(47, 1, 22, 1, 3000, 100))
                .ascii(0x0003, "E")
                .add(0x0004, 5, 3, rationals(8, 1, 32, 1, 1500, 100));
        Ifd ifd0 = new Ifd()
                .ascii(0x010F, MAKE)
                .ascii(0x0110, MODEL)
                .shortValue(0x0112, 6)
                .ascii(0x0132, DATE)
                .ascii(0x8298, "(c) sdc tests")
                .sub(0x8769, exifIfd)
                .sub(0x8825, gps);
        Ifd ifd1 = new Ifd()
                .shortValue(0x0103, 6)
                .thumbnail(thumbnail);
        return new TiffLayout().write(ifd0, ifd1);
    }

    private static byte[] rationals(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    static byte[] encodeJpeg(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage scaled(BufferedImage img, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    static byte[] app1(byte[] id, byte[] payload) {
        int len = 2 + id.length + payload.length;
        ByteBuffer b = ByteBuffer.allocate(2 + len);
        b.put((byte) 0xFF).put((byte) 0xE1).putShort((short) len).put(id).put(payload);
        return b.array();
    }

    static byte[] insertAfterSoi(byte[] jpeg, byte[]... segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        for (byte[] s : segments) {
            out.write(s, 0, s.length);
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** One IFD under construction: entries in tag order as added. */
    private static final class Ifd {
        final List<Object[]> entries = new ArrayList<>(); // {tag, type, count, byte[] or Ifd}
        byte[] thumbnail;

        Ifd add(int tag, int type, int count, Object value) {
            entries.add(new Object[] {tag, type, count, value});
            return this;
        }

        Ifd ascii(int tag, String s) {
            byte[] b = (s + "\0").getBytes(StandardCharsets.US_ASCII);
            return add(tag, 2, b.length, b);
        }

        Ifd shortValue(int tag, int v) {
            return add(tag, 3, 1, new byte[] {(byte) (v >> 8), (byte) v});
        }

        Ifd longValue(int tag, int v) {
            return add(tag, 4, 1, ByteBuffer.allocate(4).putInt(v).array());
        }

        Ifd sub(int tag, Ifd ifd) {
            return add(tag, 4, 1, ifd);
        }

        Ifd thumbnail(byte[] jpeg) {
            thumbnail = jpeg;
            add(0x0201, 4, 1, "offset");
            return add(0x0202, 4, 1, ByteBuffer.allocate(4).putInt(jpeg.length).array());
        }

        int size() {
            int n = 2 + 12 * entries.size() + 4;
            for (Object[] e : entries) {
                if (e[3] instanceof byte[] b && b.length > 4) {
                    n += b.length + (b.length & 1);
                }
            }
            return n + (thumbnail == null ? 0 : thumbnail.length);
        }
    }

    /** Lays IFDs out one after another: IFD0, its sub-IFDs, then IFD1. */
    private static final class TiffLayout {
        ByteBuffer buf;

        byte[] write(Ifd ifd0, Ifd ifd1) {
            int total = 8 + totalSize(ifd0) + ifd1.size();
            buf = ByteBuffer.allocate(total);
            buf.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
            int next = place(ifd0, 8);
            patchNext(ifd0Next, next);
            place(ifd1, next);
            return buf.array();
        }

        int ifd0Next;

        int totalSize(Ifd ifd) {
            int n = ifd.size();
            for (Object[] e : ifd.entries) {
                if (e[3] instanceof Ifd s) {
                    n += totalSize(s);
                }
            }
            return n;
        }

        /** Writes {@code ifd} at {@code at} (and its sub-IFDs after it); returns the first free offset. */
        int place(Ifd ifd, int at) {
            int data = at + 2 + 12 * ifd.entries.size() + 4;
            int free = data;
            for (Object[] e : ifd.entries) {
                if (e[3] instanceof byte[] b && b.length > 4) {
                    free += b.length + (b.length & 1);
                }
            }
            int thumbAt = free;
            if (ifd.thumbnail != null) {
                free += ifd.thumbnail.length;
            }
            buf.position(at);
            buf.putShort((short) ifd.entries.size());
            int[] subAt = new int[ifd.entries.size()];
            int cursor = free;
            for (int i = 0; i < ifd.entries.size(); i++) {
                if (ifd.entries.get(i)[3] instanceof Ifd s) {
                    subAt[i] = cursor;
                    cursor += totalSize(s);
                }
            }
            int d = data;
            for (int i = 0; i < ifd.entries.size(); i++) {
                Object[] e = ifd.entries.get(i);
                buf.putShort((short) (int) (Integer) e[0]).putShort((short) (int) (Integer) e[1]).putInt((Integer) e[2]);
                if (e[3] instanceof Ifd) {
                    buf.putInt(subAt[i]);
                } else if ("offset".equals(e[3])) {
                    buf.putInt(thumbAt);
                } else {
                    byte[] b = (byte[]) e[3];
                    if (b.length <= 4) {
                        buf.put(b).put(new byte[4 - b.length]);
                    } else {
                        buf.putInt(d);
                        int p = buf.position();
                        buf.position(d).put(b);
                        buf.position(p);
                        d += b.length + (b.length & 1);
                    }
                }
            }
            if (at == 8) {
                ifd0Next = buf.position();
            }
            buf.putInt(0);
            if (ifd.thumbnail != null) {
                buf.position(thumbAt).put(ifd.thumbnail);
            }
            for (int i = 0; i < ifd.entries.size(); i++) {
                if (ifd.entries.get(i)[3] instanceof Ifd s) {
                    place(s, subAt[i]);
                }
            }
            return cursor;
        }

        void patchNext(int pos, int value) {
            buf.putInt(pos, value);
        }
    }
}
