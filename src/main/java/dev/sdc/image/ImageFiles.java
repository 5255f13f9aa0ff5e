package dev.sdc.image;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.io.AtomicFiles;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.IIOImage;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads any image ImageIO can decode (PNG, BMP and GIF built in; JPEG, TIFF and BMP variants through the
 * TwelveMonkeys plugins on the class path) into an upright 8-bit sRGB {@link RgbImage} (grey, ICC profiles,
 * alpha, EXIF orientation and 16-bit samples handled by {@link BandConverter}), and writes one by file
 * extension. Writes are atomic: a failed write never leaves a partial or clobbered file.
 */
public final class ImageFiles {
    /** Extensions {@link #write} accepts, lower case. */
    public static final Set<String> WRITABLE = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff");
    /** Extensions a folder's images are picked by (encode -o, eval); a file named on its own may have any name. */
    public static final Set<String> READABLE = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "webp");

    /** JPEG quality used when the output extension asks for JPEG. */
    private static final float JPEG_QUALITY = 0.95f;

    static {
        ImageIO.scanForPlugins();
        // No ImageIO.setUseCache(false) here: it is global, and a library (the ImageIO plugin) must not change
        // its host's ImageIO settings. The streams below are in memory or on the file explicitly; the CLI sets
        // it for its own process (Main).
    }

    private ImageFiles() {
    }

    /** Reads an image file with the default {@link ReadOptions}; warnings are dropped. */
    public static RgbImage read(Path path) {
        return read(path, ReadOptions.DEFAULTS).image();
    }

    /**
     * Reads an image file into upright 8-bit sRGB (README "Input images"); any failure is a BAD_INPUT
     * {@link SdcException} with a one-line message naming the file.
     */
    public static DecodedImage read(Path path, ReadOptions options) {
        if (Files.isDirectory(path)) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + path + ": is a folder");
        }
        if (!Files.exists(path)) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + path + ": no such file");
        }
        try {
            if (Files.size(path) == 0) {
                throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + path + ": the file is empty");
            }
        } catch (IOException e) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + path + ": " + oneLine(e));
        }
        // A file stream, not the whole file in memory: the reader seeks to what it needs.
        try (ImageInputStream in = new FileImageInputStream(path.toFile())) {
            return decode(in, path.toString(), options);
        } catch (IOException e) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + path + ": " + oneLine(e));
        }
    }

    /** Largest side and area sdc accepts (the limits of docs/FORMAT.md), checked before decoding pixels. */
    public static final int MAX_SIDE = 65_536;
    public static final long MAX_PIXELS = 1L << 28;
    /** The largest encoded image read from a stream (stdin, the library's InputStream overload, a Spark task). */
    public static final long MAX_INPUT_BYTES = 1L << 30;

    /**
     * Bytes of decoded pixels held per band while reading: images larger than this are read in bands of rows
     * (ImageReadParam source regions), each converted into the 8-bit result before the next is decoded.
     */
    static final long BAND_BYTES = 128L << 20;

    /** Decodes an encoded image held in memory; {@code what} names it in error messages. */
    public static RgbImage decode(byte[] bytes, String what) {
        return decode(bytes, what, ReadOptions.DEFAULTS).image();
    }

    /** Decodes an encoded image held in memory with {@code options}; {@code what} names it in messages. */
    public static DecodedImage decode(byte[] bytes, String what, ReadOptions options) {
        if (bytes.length == 0) {
            throw new SdcException(ExitCode.BAD_INPUT, what + ": empty (0 bytes), not an image");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            return decode(in, what, options);
        } catch (IOException e) {
            throw new SdcException(ExitCode.BAD_INPUT, what + ": " + oneLine(e));
        }
    }

    /** Decodes the image in {@code in}; {@code what} names it in messages. */
    public static DecodedImage decode(ImageInputStream in, String what, ReadOptions options) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new SdcException(ExitCode.BAD_INPUT, what + ": not a supported image format (PNG, JPEG, WebP, BMP, TIFF, GIF)");
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try {
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            if (format.equals("sdc")) {
                // sdc's own ImageIO reader is on the class path; never re-encode a .sdc through the networks by accident
                throw new SdcException(ExitCode.BAD_INPUT, what + ": is already a .sdc file (sdc decode it first)");
            }
            ContainerFacts facts = ContainerFacts.scan(in, format);
            if (facts.damage() != null) {
                throw corrupt(what, facts.damage());
            }
            reader.setInput(in, false, true);
            // A JPEG reader reports data that ends early as a warning and fills the rest with grey: a file cut
            // in half, or a 700-byte file claiming 11585x11585, would be encoded as if whole. Fail instead.
            List<String> damage = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> {
                if (isDamage(warning)) {
                    damage.add(warning);
                }
            });
            // Check the header's size before decoding: a tiny file can claim a gigantic image.
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            checkSize(what, w, h, options.maxPixels());
            int frames = frames(reader, format, facts);
            if (frames > 1) {
                warnings.add(format.startsWith("tif") ? frames + " pages: only the first page is read"
                        : "animated (" + frames + " frames): only the first frame is read");
            } else if (frames < 0) {
                warnings.add("animated PNG: only its default image is read");
            }
            BandConverter converter = readBands(reader, w, h, facts, options.background(), damage, what);
            if (converter.sawTransparency()) {
                warnings.add("alpha composited onto " + ReadOptions.hex(options.background()));
            }
            return new DecodedImage(converter.image(), warnings);
        } catch (SdcException e) {
            throw e;
        } catch (java.io.EOFException e) {
            // the plugins' words for a cut BMP, TIFF or lossy WebP: name it as the JPEG and PNG cases are named
            throw corrupt(what, "the data ends early");
        } catch (IOException | RuntimeException e) {
            throw new SdcException(ExitCode.BAD_INPUT, what + ": not a readable image (" + oneLine(e) + ")");
        } finally {
            reader.dispose();
        }
    }

    /**
     * Refuses a size the format cannot hold (docs/FORMAT.md), before any work: the library's encode checks
     * this first, so a 65537-wide image fails at once, not after the encoder's forward.
     *
     * @throws SdcException (bad input) naming {@code what} and the limits
     */
    public static void checkSdcSize(String what, long w, long h) {
        if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE || w * h > MAX_PIXELS) {
            throw new SdcException(ExitCode.BAD_INPUT, what + ": " + w + "x" + h
                    + " is outside what sdc encodes (sides up to " + MAX_SIDE + ", at most 2^28 pixels)");
        }
    }

    private static void checkSize(String what, long w, long h, long maxPixels) {
        checkSdcSize(what, w, h);
        checkMaxPixels(what, w, h, maxPixels);
    }

    /**
     * Refuses {@code w x h} beyond {@code maxPixels} (--max-pixels, of encode or decode), from a header.
     *
     * @param what the input's name in front of the message, or null for none (the caller adds it)
     * @throws SdcException (bad input) with the size and the limit
     */
    public static void checkMaxPixels(String what, long w, long h, long maxPixels) {
        if (w * h > maxPixels) {
            throw new SdcException(ExitCode.BAD_INPUT, (what == null ? "" : what + ": ") + w + "x" + h + " = " + w * h
                    + " pixels is more than --max-pixels " + maxPixels + " (the limit may be raised up to " + MAX_PIXELS + ")");
        }
    }

    /** Pixel data that ends early or is damaged, as the JPEG, PNG, WebP, BMP and TIFF cases all say it. */
    private static SdcException corrupt(String what, String why) {
        return new SdcException(ExitCode.BAD_INPUT, what + ": truncated or corrupt image data (" + why + ")");
    }

    /** Number of frames or pages; -1 for an APNG (ImageIO cannot count those); 1 when unknown. */
    private static int frames(ImageReader reader, String format, ContainerFacts facts) {
        if (facts.animatedPng()) {
            return -1;
        }
        if (!format.equals("gif") && !format.startsWith("tif") && !format.equals("webp")) {
            return 1;
        }
        try {
            // GIF, TIFF and WebP readers count by walking block/IFD/chunk headers, not by decoding pixels.
            return Math.max(1, reader.getNumImages(true));
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    /** A reader warning that means the pixel data is cut short or corrupt (libjpeg's words, as TwelveMonkeys passes them on). */
    static boolean isDamage(String warning) {
        String w = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
        // not "N extraneous bytes before marker": libjpeg's warning for a slightly malformed file it decodes whole
        return w.contains("premature end") || w.contains("truncated") || w.contains("missing eoi");
    }

    /**
     * Decodes image 0 band by band into a {@link BandConverter}. A 16-bit PNG is decoded straight into an 8-bit
     * destination (the JDK's PNG reader rounds when the destination has fewer bits), so no 16-bit copy exists.
     */
    private static BandConverter readBands(ImageReader reader, int w, int h, ContainerFacts facts, int background,
                                           List<String> damage, String what) throws IOException {
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        ColorModel rawModel = raw == null ? null : raw.getColorModel();
        // not with a gamma to convert: that table takes the 16-bit samples (a linear file's shadows need them)
        boolean eightBitDestination = reader.getFormatName().equalsIgnoreCase("png") && facts.pngGamma() == 0
                && rawModel instanceof ComponentColorModel && rawModel.getComponentSize(0) == 16;
        long bytesPerPixel = rawModel == null ? 8 : Math.max(1, (rawModel.getPixelSize() + 7) / 8);
        if (eightBitDestination) {
            bytesPerPixel = rawModel.getNumComponents();
        }
        int bandRows = (int) Math.max(1, Math.min(h, BAND_BYTES / (bytesPerPixel * w)));
        BufferedImage destination = eightBitDestination ? eightBitLike(rawModel, w, bandRows) : null;
        BandConverter converter = null;
        for (int y0 = 0; y0 < h; y0 += bandRows) {
            int rows = Math.min(bandRows, h - y0);
            ImageReadParam param = reader.getDefaultReadParam();
            if (rows < h) {
                param.setSourceRegion(new Rectangle(0, y0, w, rows));
            }
            if (destination != null) {
                param.setDestination(destination);
            }
            BufferedImage band = reader.read(0, param);
            if (!damage.isEmpty()) { // checked per band: a lying header fails before the full-size result exists
                throw corrupt(what, damage.get(0));
            }
            if (band.getWidth() != w || band.getHeight() < rows) {
                throw new IOException("reader returned " + band.getWidth() + "x" + band.getHeight() + " for a band of " + w + "x" + rows);
            }
            if (converter == null) {
                // Allocated after the first band decoded: a lying header fails before the full-size result exists.
                converter = new BandConverter(w, h, facts.orientation(), facts.pngProfile(), facts.pngGamma(), background);
            }
            converter.add(band, y0, rows);
        }
        return converter;
    }

    /** An 8-bit image with the colour space, bands and alpha of a 16-bit component model. */
    private static BufferedImage eightBitLike(ColorModel model, int w, int h) {
        int bands = model.getNumComponents();
        int[] bits = new int[bands];
        java.util.Arrays.fill(bits, 8);
        ComponentColorModel cm = new ComponentColorModel(model.getColorSpace(), bits, model.hasAlpha(), false,
                model.hasAlpha() ? ColorModel.TRANSLUCENT : ColorModel.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, bands, null);
        return new BufferedImage(cm, raster, false, null);
    }

    /** Converts any BufferedImage to 8-bit sRGB by the rules of {@link BandConverter} (alpha onto white). */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        return fromBufferedImage(image, ReadOptions.DEFAULT_BACKGROUND).image();
    }

    /**
     * {@code image} as 8-bit sRGB, transparent pixels composited onto {@code background} (0xRRGGBB) as a file
     * read is; the warnings say what was done ("alpha composited onto #ffffff"). The image is not changed.
     */
    public static DecodedImage fromBufferedImage(BufferedImage image, int background) {
        BandConverter c = new BandConverter(image.getWidth(), image.getHeight(), Orientation.NORMAL, null, 0, background);
        c.add(image, 0, image.getHeight());
        return new DecodedImage(c.image(), c.sawTransparency()
                ? List.of("alpha composited onto " + ReadOptions.hex(background)) : List.of());
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

    /** Whether two {@link #WRITABLE} extensions name one format (jpg and jpeg, tif and tiff). */
    public static boolean sameFormat(String extension, String other) {
        return formatName(extension).equals(formatName(other));
    }

    /** The ImageIO format an output extension names (png, jpg/jpeg, bmp, tif/tiff). */
    private static String formatName(String extension) {
        return switch (extension) {
            case "png" -> "png";
            case "jpg", "jpeg" -> "jpeg";
            case "bmp" -> "bmp";
            case "tif", "tiff" -> "tiff";
            default -> throw new SdcException(ExitCode.USAGE, "unsupported output extension '." + extension
                    + "' (use .png, .jpg, .bmp or .tif)");
        };
    }

    /** The largest side a baseline JPEG can hold (its header has 16 bits; libjpeg's limit is 65500). */
    public static final int MAX_JPEG_SIDE = 65_500;

    /**
     * Refuses, before any work, an image that {@code extension}'s format cannot hold: a .sdc may be up to
     * 65536 pixels a side, a JPEG only {@value #MAX_JPEG_SIDE}. Decode checks this from the header, so a
     * 65536x1 file to .jpg fails at once instead of after the whole decode.
     *
     * @throws SdcException (exit code IO, as the encoder's own failure would be) naming the limit
     */
    public static void checkEncodable(String extension, int width, int height) {
        if (formatName(extension.toLowerCase(java.util.Locale.ROOT)).equals("jpeg") && (width > MAX_JPEG_SIDE || height > MAX_JPEG_SIDE)) {
            throw new SdcException(ExitCode.IO, "cannot encode jpeg: " + width + "x" + height + " is larger than "
                    + "JPEG's " + MAX_JPEG_SIDE + " pixels a side (use png or tif)");
        }
    }

    /** Encodes an image in the format its extension names (png, jpg/jpeg, bmp, tif/tiff). */
    public static byte[] encode(RgbImage image, String extension) {
        checkEncodable(extension, image.width(), image.height());
        String format = formatName(extension.toLowerCase(java.util.Locale.ROOT));
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new SdcException(ExitCode.IO, "no ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
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
