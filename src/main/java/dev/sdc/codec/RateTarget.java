package dev.sdc.codec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file-size goal for rate control: a number of bytes, or bits per pixel of the original image. Either way
 * it becomes a byte budget for a width × height image ({@link #budgetBytes}) that the complete .sdc file —
 * header, palette, indices, and any section a later format version adds — must not exceed.
 *
 * <p>Sizes parse as a number with an optional unit ({@link #parseSize}): none or {@code B} = bytes,
 * {@code kB} = 1000 B, {@code KiB} = 1024 B, {@code MB} = 10⁶ B, {@code MiB} = 2²⁰ B (unit letters are
 * case-insensitive, so {@code 4k}, {@code 4KB} and {@code 4kb} all mean 4000 B). Fractions round down to
 * whole bytes, since the budget is an upper bound.
 */
public final class RateTarget {
    /** Larger than any file sdc can write (the format bounds the latent); keeps the arithmetic exact. */
    public static final long MAX_BYTES = 1L << 40;

    /** A plain decimal, sign and exponent allowed ({@code 0.05}, {@code +.05}, {@code 5e-2}); not Java's {@code 0.1f} or {@code 0x1p-3}. */
    private static final Pattern DECIMAL = Pattern.compile("[+]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?");
    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kKmM]?)([iI]?)([bB]?)");

    private final long bytes;
    private final double bitsPerPixel;

    private RateTarget(long bytes, double bitsPerPixel) {
        this.bytes = bytes;
        this.bitsPerPixel = bitsPerPixel;
    }

    /** A budget of exactly {@code bytes} bytes, 1..{@link #MAX_BYTES}. */
    public static RateTarget bytes(long bytes) {
        if (bytes < 1 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("size must be 1.." + MAX_BYTES + " bytes, got " + bytes);
        }
        return new RateTarget(bytes, 0);
    }

    /** A budget of {@code bpp} bits per pixel of the original image (> 0, at most 64). */
    public static RateTarget bitsPerPixel(double bpp) {
        if (!(bpp > 0 && bpp <= 64)) {
            throw new IllegalArgumentException("bits per pixel must be > 0 and <= 64, got " + bpp);
        }
        return new RateTarget(0, bpp);
    }

    /**
     * Parses {@code 4000}, {@code 4000B}, {@code 4kB}, {@code 2.5kB}, {@code 4KiB}, {@code 1MB}, {@code 1MiB}.
     *
     * @throws IllegalArgumentException with a message naming the accepted forms
     */
    public static RateTarget parseSize(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.strip());
        if (!m.matches() || (!m.group(3).isEmpty() && (m.group(2).isEmpty() || m.group(4).isEmpty()))) {
            throw new IllegalArgumentException("size '" + text + "' is not a number of bytes"
                    + " (e.g. 4000, 4000B, 4kB = 4000 B, 4KiB = 4096 B, 1MB, 1MiB)");
        }
        boolean binary = !m.group(3).isEmpty();
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> binary ? 1024 : 1000;
            case "m" -> binary ? 1024 * 1024 : 1_000_000;
            default -> 1;
        };
        // exact decimal arithmetic: in doubles 1.001kB was 1000.9999… and floored to 1000 B, 4.1MB to 4099999 B
        BigDecimal value = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (value.compareTo(BigDecimal.ONE) < 0 || value.compareTo(BigDecimal.valueOf(MAX_BYTES)) > 0) {
            throw new IllegalArgumentException("size '" + text + "' must be 1 byte .. " + MAX_BYTES + " bytes");
        }
        return bytes(value.setScale(0, RoundingMode.FLOOR).longValueExact());
    }

    /**
     * Parses a bits-per-pixel value such as {@code 0.1}.
     *
     * @throws IllegalArgumentException if it is not a number in (0, 64]
     */
    public static RateTarget parseBitsPerPixel(String text) {
        String t = text == null ? "" : text.strip();
        if (t.startsWith("-") && DECIMAL.matcher(t.substring(1)).matches()) {
            throw new IllegalArgumentException("bits per pixel must be > 0 and <= 64, got " + t);
        }
        if (!DECIMAL.matcher(t).matches()) {
            throw new IllegalArgumentException("bits per pixel '" + text + "' is not a number (e.g. 0.1)");
        }
        double bpp = Double.parseDouble(t);
        if (Double.isInfinite(bpp)) {
            throw new IllegalArgumentException("bits per pixel must be > 0 and <= 64, got " + t);
        }
        return bitsPerPixel(bpp);
    }

    /** The target in bits per pixel (0 for a {@link #bytes} target). */
    public double bitsPerPixelValue() {
        return bitsPerPixel;
    }

    /** True for a {@link #bitsPerPixel} target, false for a {@link #bytes} one. */
    public boolean isBitsPerPixel() {
        return bitsPerPixel > 0;
    }

    /**
     * The most bytes a file for a width × height image may have: the byte count, or
     * ⌊bpp · width · height / 8⌋ (so the file's own bpp is never above the target), in exact decimal arithmetic
     * on the bpp as written ({@link Double#toString}: what was typed, for any value of up to 17 digits). In doubles
     * 0.036 bpp of a 100×100 image was 44.999… and floored to 44 B, one byte under.
     */
    public long budgetBytes(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (!isBitsPerPixel()) {
            return bytes;
        }
        BigDecimal bits = BigDecimal.valueOf(bitsPerPixel).multiply(BigDecimal.valueOf((long) width * height));
        return Math.min(MAX_BYTES, bits.divide(BigDecimal.valueOf(8), 0, RoundingMode.FLOOR).longValueExact());
    }

    /** {@code "4000 B"} or {@code "0.1 bpp"}. */
    @Override
    public String toString() {
        return isBitsPerPixel() ? String.format(Locale.ROOT, "%s bpp", trim(bitsPerPixel)) : bytes + " B";
    }

    /** The bpp as written, without an exponent: 1e-7 was printed as "0" ("target 0 bpp (0 B) is too small"). */
    private static String trim(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RateTarget t && t.bytes == bytes && Double.compare(t.bitsPerPixel, bitsPerPixel) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bytes) * 31 + Double.hashCode(bitsPerPixel);
    }
}
