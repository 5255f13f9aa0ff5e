package dev.sdc.image;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.io.AtomicFiles;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.IIOImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Reads any image ImageIO can decode (PNG, BMP and GIF built in; JPEG, TIFF and BMP variants through the
 * TwelveMonkeys plugins on the class path) into an 8-bit sRGB {@link RgbImage}, and writes one by file
 * extension. Writes are atomic: a failed write never leaves a partial or clobbered file.
 */
public final class ImageFiles {
    /** Extensions {@link #write} accepts, lower case. */
    public static final Set<String> WRITABLE = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff");

    /** JPEG quality used when the output extension asks for JPEG. */
    private static final float JPEG_QUALITY = 0.95f;

    static {
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false);
    }

    private ImageFiles() {
    }

    /** Reads an image file; any failure is a BAD_INPUT {@link SdcException} with a one-line message. */
    public static RgbImage read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + path + ": no such file");
        } catch (IOException e) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + path + ": " + e.getMessage());
        }
        return decode(bytes, path.toString());
    }

    /** Largest side and area sdc accepts (the limits of docs/FORMAT.md), checked before decoding pixels. */
    public static final int MAX_SIDE = 65_536;
    public static final long MAX_PIXELS = 1L << 28;

    /** Decodes an encoded image held in memory; {@code what} names it in error messages. */
    public static RgbImage decode(byte[] bytes, String what) {
        if (bytes.length >= 4 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'S' && bytes[2] == 'D' && bytes[3] == 'C') {
            // sdc's own ImageIO reader is on the class path; never re-encode a .sdc through the network by accident
            throw new SdcException(ExitCode.BAD_INPUT, what + ": is already a .sdc file (sdc decode it first)");
        }
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new SdcException(ExitCode.BAD_INPUT, what + ": not a supported image format (PNG, JPEG, BMP, TIFF, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // Check the header's size before decoding: a tiny file can claim a gigantic image.
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE || w * h > MAX_PIXELS) {
                    throw new SdcException(ExitCode.BAD_INPUT, what + ": " + w + "x" + h
                            + " is outside what sdc encodes (sides up to " + MAX_SIDE + ", at most 2^28 pixels)");
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (SdcException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SdcException(ExitCode.BAD_INPUT, what + ": not a readable image (" + oneLine(e) + ")");
        }
        if (image == null) {
            throw new SdcException(ExitCode.BAD_INPUT, what + ": not a supported image format (PNG, JPEG, BMP, TIFF, GIF)");
        }
        return fromBufferedImage(image);
    }

    /** Converts any BufferedImage (grey, palette, 16-bit, alpha, CMYK-converted) to 8-bit sRGB. */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        RgbImage out = RgbImage.blank(w, h);
        byte[] rgb = out.rgb();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            // getRGB converts through the image's colour model to sRGB; alpha is dropped (composited on nothing).
            image.getRGB(0, y, w, 1, row, 0, w);
            int o = 3 * y * w;
            for (int x = 0; x < w; x++) {
                int p = row[x];
                rgb[o++] = (byte) (p >> 16);
                rgb[o++] = (byte) (p >> 8);
                rgb[o++] = (byte) p;
            }
        }
        return out;
    }

    public static BufferedImage toBufferedImage(RgbImage image) {
        int w = image.width();
        int h = image.height();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        byte[] rgb = image.rgb();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            int o = 3 * y * w;
            for (int x = 0; x < w; x++) {
                row[x] = (rgb[o] & 0xFF) << 16 | (rgb[o + 1] & 0xFF) << 8 | (rgb[o + 2] & 0xFF);
                o += 3;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** Lower-case extension of a file name, or "" if it has none. */
    public static String extension(Path path) {
        Path file = path.getFileName();
        if (file == null) {
            return "";
        }
        String name = file.toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Encodes an image in the format its extension names (png, jpg/jpeg, bmp, tif/tiff). */
    public static byte[] encode(RgbImage image, String extension) {
        String format = switch (extension) {
            case "png" -> "png";
            case "jpg", "jpeg" -> "jpeg";
            case "bmp" -> "bmp";
            case "tif", "tiff" -> "tiff";
            default -> throw new SdcException(ExitCode.USAGE, "unsupported output extension '." + extension
                    + "' (use .png, .jpg, .bmp or .tif)");
        };
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new SdcException(ExitCode.IO, "no ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
            }
            writer.write(null, new IIOImage(toBufferedImage(image), null, null), param);
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "cannot encode " + format + ": " + oneLine(e));
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Writes an image atomically in the format its extension names. */
    public static void write(RgbImage image, Path path) {
        byte[] encoded = encode(image, extension(path));
        AtomicFiles.write(path, encoded);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ');
    }
}
