package dev.sdc.codec;

/**
 * Encoder settings.
 *
 * @param colors   maximum palette size, 1..256
 * @param dither   Floyd–Steinberg error diffusion onto the palette (false: nearest colour)
 * @param strength denoise strength written into the file as the decoder's default, or null for the bundle's
 * @param steps    denoise steps written into the file as the decoder's default, or null for the bundle's
 */
public record EncodeOptions(int colors, boolean dither, Float strength, Integer steps) {
    public static final int DEFAULT_COLORS = 256;

    public EncodeOptions {
        if (colors < 1 || colors > 256) {
            throw new IllegalArgumentException("colors must be 1..256, got " + colors);
        }
        if (strength != null && !(strength >= 0f && strength <= 1f)) {
            throw new IllegalArgumentException("strength must be 0..1, got " + strength);
        }
        if (steps != null && (steps < 0 || steps > 1000)) {
            throw new IllegalArgumentException("steps must be 0..1000, got " + steps);
        }
    }

    public EncodeOptions(int colors, boolean dither) {
        this(colors, dither, null, null);
    }

    public static EncodeOptions defaults() {
        return new EncodeOptions(DEFAULT_COLORS, true);
    }
}
