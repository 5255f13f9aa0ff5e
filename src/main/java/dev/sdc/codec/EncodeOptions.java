package dev.sdc.codec;

import java.util.Objects;

/**
 * Encoder settings.
 *
 * @param colors     palette mode: maximum palette size, 1..256
 * @param dither     palette mode: Floyd–Steinberg error diffusion onto the palette (false: nearest colour)
 * @param strength   denoise strength written into the file as the decoder's default, or null for the mode's default
 * @param steps      denoise steps written into the file as the decoder's default, or null for the mode's default
 * @param mode       the quantizer mode (the header's mode field)
 * @param scalarRate scalar mode: the rate level and factor, or null for the bundle's default level at factor 1
 */
public record EncodeOptions(int colors, boolean dither, Float strength, Integer steps, QuantizerMode mode,
                            ScalarRate scalarRate) {
    public static final int DEFAULT_COLORS = 256;

    public EncodeOptions {
        if (colors < 1 || colors > 256) {
            throw new IllegalArgumentException("colors must be 1..256, got " + colors);
        }
        DecodeOptions.checkDenoise(strength, steps); // the file's decode defaults: the overrides' ranges
        Objects.requireNonNull(mode, "mode");
        if (scalarRate != null && mode != QuantizerMode.SCALAR) {
            throw new IllegalArgumentException("a scalar rate needs the scalar mode");
        }
    }

    /** Palette-mode settings with the given denoise defaults. */
    public EncodeOptions(int colors, boolean dither, Float strength, Integer steps) {
        this(colors, dither, strength, steps, QuantizerMode.PALETTE, null);
    }

    /** Palette-mode settings with the bundle's denoise defaults. */
    public EncodeOptions(int colors, boolean dither) {
        this(colors, dither, null, null);
    }

    public static EncodeOptions defaults() {
        return new EncodeOptions(DEFAULT_COLORS, true);
    }

    /** Scalar-mode settings at {@code rate} (null: the bundle's default level) with the mode's denoise defaults. */
    public static EncodeOptions scalar(ScalarRate rate) {
        return new EncodeOptions(DEFAULT_COLORS, true, null, null, QuantizerMode.SCALAR, rate);
    }

    /** These settings in scalar mode at {@code rate}, keeping the denoise overrides. */
    public EncodeOptions withScalarRate(ScalarRate rate) {
        return new EncodeOptions(colors, dither, strength, steps, QuantizerMode.SCALAR, rate);
    }

    /** These settings with another palette size and dithering, keeping the rest. */
    public EncodeOptions withColors(int colors, boolean dither) {
        return new EncodeOptions(colors, dither, strength, steps, mode, scalarRate);
    }
}
