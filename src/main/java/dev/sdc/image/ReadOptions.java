package dev.sdc.image;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;

import java.util.Locale;

/**
 * How {@link ImageFiles#read(java.nio.file.Path, ReadOptions)} turns a file into pixels.
 *
 * @param background 0xRRGGBB (sRGB) that transparent pixels are composited onto
 * @param maxPixels  largest width × height accepted, checked against the file's header before any pixel is decoded
 */
public record ReadOptions(int background, long maxPixels) {
    /** White, like a browser page or paper. */
    public static final int DEFAULT_BACKGROUND = 0xFFFFFF;
    /**
     * 2^27 ≈ 134 megapixels: above every common camera (100–108 MP medium format and phones), well under the
     * format's own limit of 2^28; a larger image must be asked for with {@code --max-pixels}.
     */
    public static final long DEFAULT_MAX_PIXELS = 1L << 27;

    public static final ReadOptions DEFAULTS = new ReadOptions(DEFAULT_BACKGROUND, DEFAULT_MAX_PIXELS);

    public ReadOptions {
        if ((background & ~0xFFFFFF) != 0) {
            throw new IllegalArgumentException("background must be 0xRRGGBB: " + Integer.toHexString(background));
        }
        if (maxPixels < 1 || maxPixels > ImageFiles.MAX_PIXELS) {
            throw new SdcException(ExitCode.USAGE, "--max-pixels must be 1.." + ImageFiles.MAX_PIXELS + " (the format's limit), got " + maxPixels);
        }
    }

    /** Parses {@code white}, {@code black} or {@code #rrggbb} (also without '#'); a bad value is a USAGE error. */
    public static int parseBackground(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "white":
                return 0xFFFFFF;
            case "black":
                return 0x000000;
            default:
                break;
        }
        String hex = t.startsWith("#") ? t.substring(1) : t;
        if (hex.matches("[0-9a-f]{6}")) {
            return Integer.parseInt(hex, 16);
        }
        throw new SdcException(ExitCode.USAGE, "--background must be white, black or #rrggbb, got '" + text + "'");
    }

    /** {@code #rrggbb}, as warnings print it. */
    public static String hex(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb);
    }
}
