package dev.sdc.image;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;

import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What an image file says about its pixels outside the pixel data and that ImageIO's readers do not apply:
 * the EXIF orientation (JPEG APP1, PNG eXIf, TIFF tag 274, WebP EXIF), a PNG's embedded ICC profile (iCCP; the JDK's
 * PNG reader keeps it only as metadata) or, without one, its gamma (gAMA), and whether a PNG is animated (acTL). Found by reading chunk and
 * segment headers only, best effort: a damaged header here is left for the pixel reader to report.
 *
 * <p>A PNG's chunks are also checked against their CRCs, as libpng does: the JDK's reader skips the CRC, so a
 * flipped bit in IDAT that still inflates would be encoded as if the picture were whole. A critical chunk with
 * a wrong CRC is {@link #damage}; an ancillary one is ignored (libpng's default), so a broken iCCP or eXIf does
 * not turn the pixels.
 *
 * @param pngProfile  the iCCP profile of a PNG, or null
 * @param pngGamma    the gamma a PNG's samples are encoded with (gAMA / 100000, e.g. 1.0 for linear light) where it
 *                    governs and is not sRGB's; else 0. See {@link #governingGamma}.
 * @param orientation how the stored pixels are to be turned upright
 * @param animatedPng an APNG, of which ImageIO reads only the default image
 * @param damage      why the pixel data cannot be trusted (a PNG critical chunk's CRC, a WebP shorter than its
 *                    RIFF header says), or null
 */
record ContainerFacts(ICC_Profile pngProfile, double pngGamma, Orientation orientation, boolean animatedPng, String damage) {
    static final ContainerFacts NONE = new ContainerFacts(null, 0, Orientation.NORMAL, false, null);

    /** A container whose pixel data cannot be trusted, and why. */
    private static ContainerFacts damaged(String why) {
        return new ContainerFacts(null, 0, Orientation.NORMAL, false, why);
    }

    /** Facts of a container that has only an orientation to tell (JPEG, TIFF, WebP). */
    private static ContainerFacts oriented(Orientation orientation) {
        return new ContainerFacts(null, 0, orientation, false, null);
    }

    /** Chunks larger than this are not metadata sdc reads (a real iCCP or eXIf is kilobytes). */
    private static final int MAX_CHUNK = 16 << 20;
    private static final long PNG_SIGNATURE = 0x89504E470D0A1A0AL;

    /** Scans {@code in} for the given ImageIO format name, leaving it at position 0. */
    static ContainerFacts scan(ImageInputStream in, String format) {
        try {
            in.seek(0);
            return switch (format) {
                case "png" -> scanPng(in);
                case "jpeg", "jpg" -> oriented(jpegOrientation(in));
                case "tif", "tiff" -> oriented(tiffOrientation(in));
                case "webp" -> scanWebp(in);
                default -> NONE;
            };
        } catch (IOException | RuntimeException e) {
            return NONE;
        } finally {
            try {
                in.seek(0);
            } catch (IOException ignored) {
                // the reader will fail on the same stream and say why
            }
        }
    }

    private static ContainerFacts scanPng(ImageInputStream in) throws IOException {
        if (in.readLong() != PNG_SIGNATURE) {
            return NONE;
        }
        ICC_Profile profile = null;
        Orientation orientation = Orientation.NORMAL;
        boolean animated = false;
        long gama = 0;
        boolean srgb = false;
        boolean pastIdat = false;
        // sRGB and gAMA must come before IDAT (a late one is ignored, as libpng ignores it), and so must iCCP and
        // acTL; eXIf may come after it (the metadata extractor takes it from
        // anywhere, so the pixels must be turned by it too): the walk goes on to IEND
        while (true) {
            long start = in.getStreamPosition();
            long length = in.readUnsignedInt();
            byte[] type = new byte[4];
            in.readFully(type);
            String name = new String(type, StandardCharsets.ISO_8859_1);
            if (length > Integer.MAX_VALUE) {
                break; // not a PNG length (2^31 - 1 at most): the pixel reader says what is wrong
            }
            CRC32 crc = new CRC32();
            crc.update(type);
            byte[] data = length <= MAX_CHUNK ? readBytes(in, (int) length) : null;
            if (data != null) {
                crc.update(data);
            } else {
                update(crc, in, length);
            }
            if ((int) crc.getValue() != in.readInt()) {
                if (isCritical(type)) {
                    return damaged("CRC error in the " + name + " chunk at byte " + start);
                }
                continue; // an ancillary chunk that does not match its CRC is dropped, as libpng drops it
            }
            if (name.equals("IEND")) {
                break;
            }
            if (name.equals("IDAT")) {
                pastIdat = true;
            }
            if (data != null) {
                switch (name) {
                    case "acTL" -> animated = true;
                    case "iCCP" -> profile = iccp(data);
                    case "sRGB" -> srgb |= !pastIdat;
                    case "gAMA" -> gama = !pastIdat && data.length == 4 ? Integer.toUnsignedLong(readInt(data)) : gama;
                    case "eXIf" -> orientation = exifOrientation(data);
                    default -> { }
                }
            }
        }
        return new ContainerFacts(profile, governingGamma(profile != null, srgb, gama), orientation, animated, null);
    }

    /**
     * The gamma to convert a PNG's samples from, or 0 where they are taken as sRGB. The PNG specification's order
     * (as libpng and browsers apply it): an iCCP profile wins, then an sRGB chunk, then gAMA. A gAMA within 5 % of
     * sRGB's 1/2.2 (libpng's PNG_GAMMA_THRESHOLD: |gamma · 2.2 − 1| ≤ 0.05) is sRGB: 45455, which most PNG
     * writers store, changes nothing. cHRM (primaries) is not read: the primaries are taken as sRGB's.
     *
     * @param gama the gAMA chunk's value (gamma × 100000), 0 for none
     */
    static double governingGamma(boolean hasProfile, boolean hasSrgb, long gama) {
        if (hasProfile || hasSrgb || gama <= 0) {
            return 0;
        }
        double gamma = gama / 100000.0;
        return Math.abs(gamma * 2.2 - 1) <= 0.05 ? 0 : gamma;
    }

    private static int readInt(byte[] b) {
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
    }

    /** A critical chunk (IHDR, PLTE, IDAT, IEND, or any unknown one) has an upper-case first letter. */
    private static boolean isCritical(byte[] type) {
        return (type[0] & 0x20) == 0;
    }

    /** Feeds the next {@code length} bytes of {@code in} to {@code crc} (a large IDAT, in 64 kB pieces). */
    private static void update(CRC32 crc, ImageInputStream in, long length) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (long left = length; left > 0; ) {
            int n = (int) Math.min(buf.length, left);
            in.readFully(buf, 0, n);
            crc.update(buf, 0, n);
            left -= n;
        }
    }

    /** iCCP: name (1-79 bytes), NUL, compression method 0, zlib stream of the profile. */
    private static ICC_Profile iccp(byte[] data) {
        int nul = 0;
        while (nul < data.length && data[nul] != 0) {
            nul++;
        }
        if (nul + 2 > data.length || data[nul + 1] != 0) {
            return null;
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, nul + 2, data.length - nul - 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.finished() && out.size() <= MAX_CHUNK) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buf, 0, n);
            }
            return inflater.finished() ? ICC_Profile.getInstance(out.toByteArray()) : null;
        } catch (DataFormatException | IllegalArgumentException e) {
            return null; // a broken profile is ignored, as every viewer does
        } finally {
            inflater.end();
        }
    }

    private static Orientation jpegOrientation(ImageInputStream in) throws IOException {
        List<JPEGSegment> app1 = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
        if (app1.isEmpty()) {
            return Orientation.NORMAL;
        }
        try (InputStream data = app1.get(0).data()) {
            byte[] bytes = data.readAllBytes();
            // The identifier is "Exif" NUL, then a pad byte before the TIFF header ("II" or "MM").
            int skip = bytes.length > 0 && bytes[0] == 0 ? 1 : 0;
            byte[] tiff = new byte[bytes.length - skip];
            System.arraycopy(bytes, skip, tiff, 0, tiff.length);
            return exifOrientation(tiff);
        }
    }

    /** Orientation from a TIFF-structured EXIF block, parsed by TwelveMonkeys' metadata reader. */
    static Orientation exifOrientation(byte[] tiffStructure) {
        try (ImageInputStream s = new MemoryCacheImageInputStream(new ByteArrayInputStream(tiffStructure))) {
            return orientationOf(new TIFFReader().read(s));
        } catch (IOException | RuntimeException e) {
            return Orientation.NORMAL;
        }
    }

    /**
     * A WebP's RIFF chunks: the EXIF chunk (with or without an "Exif\0\0" prefix) holds the orientation. The file
     * must hold all the bytes its RIFF header counts: the lossless decoder reads a cut file's missing data as
     * zeros and returns a whole picture (libwebp refuses such a file).
     */
    private static ContainerFacts scanWebp(ImageInputStream in) throws IOException {
        in.setByteOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] riff = readBytes(in, 12);
            if (riff[0] != 'R' || riff[1] != 'I' || riff[8] != 'W' || riff[9] != 'E') {
                return NONE;
            }
            long end = 8 + (java.nio.ByteBuffer.wrap(riff, 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()
                    & 0xFFFFFFFFL);
            long length = lengthOf(in, end);
            if (length < end) {
                return damaged("the file ends at byte " + length + ", its RIFF header counts " + end);
            }
            in.seek(12);
            Orientation orientation = Orientation.NORMAL;
            while (in.getStreamPosition() + 8 <= end) {
                byte[] type = readBytes(in, 4);
                long size = in.readUnsignedInt();
                long next = in.getStreamPosition() + size + (size & 1);
                if (next - (size & 1) > end) {
                    return damaged("the " + new String(type, StandardCharsets.ISO_8859_1).strip()
                            + " chunk runs past the RIFF data");
                }
                if (new String(type, StandardCharsets.ISO_8859_1).equals("EXIF") && size <= MAX_CHUNK) {
                    byte[] data = readBytes(in, (int) size);
                    boolean prefixed = data.length > 6 && data[0] == 'E' && data[1] == 'x' && data[2] == 'i'
                            && data[3] == 'f';
                    orientation = exifOrientation(prefixed ? java.util.Arrays.copyOfRange(data, 6, data.length) : data);
                }
                in.seek(next);
            }
            return oriented(orientation);
        } finally {
            in.setByteOrder(java.nio.ByteOrder.BIG_ENDIAN);
        }
    }

    /** The stream's length, or, where it does not know it (stdin), {@code atLeast} if it holds that many bytes. */
    private static long lengthOf(ImageInputStream in, long atLeast) throws IOException {
        long length = in.length();
        if (length >= 0) {
            return length;
        }
        in.seek(atLeast - 1);
        if (in.read() >= 0) {
            return atLeast;
        }
        in.seek(0);
        long n = 0;
        for (byte[] buf = new byte[1 << 16]; ; ) {
            int r = in.read(buf);
            if (r < 0) {
                return n;
            }
            n += r;
        }
    }

    private static Orientation tiffOrientation(ImageInputStream in) throws IOException {
        return orientationOf(new TIFFReader().read(in));
    }

    private static Orientation orientationOf(Directory directory) {
        Directory ifd0 = directory instanceof CompoundDirectory c && c.directoryCount() > 0 ? c.getDirectory(0) : directory;
        Entry entry = ifd0.getEntryById(TIFF.TAG_ORIENTATION);
        return entry != null && entry.getValue() instanceof Number n ? Orientation.ofExif(n.intValue()) : Orientation.NORMAL;
    }

    private static byte[] readBytes(ImageInputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
