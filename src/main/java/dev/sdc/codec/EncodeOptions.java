package dev.sdc.codec;

/**
 * Encoder settings.
 *
 * @param colors maximum palette size, 1..256
 * @param dither Floyd–Steinberg error diffusion onto the palette (false: nearest colour)
 */
public record EncodeOptions(int colors, boolean dither) {
    public static final int DEFAULT_COLORS = 256;

    public EncodeOptions {
        if (colors < 1 || colors > 256) {
            throw new IllegalArgumentException("colors must be 1..256, got " + colors);
        }
    }

    public static EncodeOptions defaults() {
        return new EncodeOptions(DEFAULT_COLORS, true);
    }
}
