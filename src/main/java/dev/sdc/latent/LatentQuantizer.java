package dev.sdc.latent;

import dev.sdc.model.Latent;

/**
 * The bundle's 8-bit scalar quantizer of raw latent values: codes 0 and 255 map to {@code quantMin} and
 * {@code quantMax} (docs/MODELS.md), {@code code = round(255·(z−min)/(max−min))} clamped to 0..255.
 *
 * <p>Whole-latent conversions use an <em>interleaved</em> per-pixel layout, {@code [pixel*C + c]} with pixels
 * row-major, because palette building and dithering work on one C-vector per pixel; {@link Latent} itself is
 * planar {@code [C, H, W]}.
 */
public final class LatentQuantizer {
    /** Largest code. */
    public static final int MAX_CODE = 255;

    private final float min;
    private final float max;
    /** Code units per raw unit; precomputed so per-value conversion is one multiply. */
    private final float codesPerUnit;
    /** Range in double so code 255 maps back to exactly {@code max}. */
    private final double range;

    /**
     * @throws IllegalArgumentException unless both bounds are finite and {@code min < max}; callers (bundle
     *                                  and bitstream readers) validate user-supplied ranges before this
     */
    public LatentQuantizer(float quantMin, float quantMax) {
        if (!Float.isFinite(quantMin) || !Float.isFinite(quantMax) || !(quantMin < quantMax)) {
            throw new IllegalArgumentException("quantizer range must be finite with min < max, got ["
                    + quantMin + ", " + quantMax + "]");
        }
        this.min = quantMin;
        this.max = quantMax;
        this.codesPerUnit = (float) (MAX_CODE / ((double) quantMax - quantMin));
        this.range = (double) quantMax - quantMin;
    }

    public float min() {
        return min;
    }

    public float max() {
        return max;
    }

    /** The 8-bit code of a raw value, clamped to 0..255 (NaN maps to 0). */
    public int code(float z) {
        return (int) Math.round(position(z));
    }

    /** The raw value a code stands for. */
    public float value(int code) {
        if (code < 0 || code > MAX_CODE) {
            throw new IllegalArgumentException("code out of range 0..255: " + code);
        }
        return (float) (min + code * range / MAX_CODE);
    }

    /**
     * The unrounded position of a raw value on the code axis, clamped to [0, 255] (NaN maps to 0). Dithering
     * targets this rather than the rounded code so the rounding error is diffused too.
     */
    public float position(float z) {
        float p = (z - min) * codesPerUnit;
        if (p > MAX_CODE) {
            return MAX_CODE;
        }
        return p >= 0 ? p : 0; // also catches NaN
    }

    /** 8-bit codes of a whole latent, interleaved {@code [pixel*C + c]}. */
    public int[] codes(Latent latent) {
        int c = latent.channels();
        int n = latent.pixels();
        float[] data = latent.data();
        int[] out = new int[n * c];
        for (int ch = 0; ch < c; ch++) {
            int base = ch * n;
            for (int p = 0; p < n; p++) {
                out[p * c + ch] = code(data[base + p]);
            }
        }
        return out;
    }

    /** Unrounded code-axis positions of a whole latent, interleaved {@code [pixel*C + c]}; see {@link #position}. */
    public float[] positions(Latent latent) {
        int c = latent.channels();
        int n = latent.pixels();
        float[] data = latent.data();
        float[] out = new float[n * c];
        for (int ch = 0; ch < c; ch++) {
            int base = ch * n;
            for (int p = 0; p < n; p++) {
                out[p * c + ch] = position(data[base + p]);
            }
        }
        return out;
    }

    /** Inverse of {@link #codes}: interleaved codes back to a planar raw latent. */
    public Latent latent(int[] codes, int channels, int height, int width) {
        int n = Math.multiplyExact(height, width);
        if (channels < 1 || codes.length != Math.multiplyExact(n, channels)) {
            throw new IllegalArgumentException("expected " + (long) n * channels + " codes, got " + codes.length);
        }
        float[] data = new float[codes.length];
        for (int ch = 0; ch < channels; ch++) {
            int base = ch * n;
            for (int p = 0; p < n; p++) {
                data[base + p] = value(codes[p * channels + ch]);
            }
        }
        return new Latent(channels, height, width, data);
    }
}
