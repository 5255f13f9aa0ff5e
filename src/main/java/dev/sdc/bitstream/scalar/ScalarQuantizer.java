package dev.sdc.bitstream.scalar;

/**
 * The arithmetic of mode 1 outside the entropy coder (docs/SCALAR.md, "Steps", "Dequantisation"):
 * effective steps from a level and the header's rate factor, rounding on the encoder side, and the
 * decoder's dequantisation, each a single binary32 operation so every machine gets the same latent.
 */
public final class ScalarQuantizer {
    /** The header's rate_factor R means r = R / 4096. */
    public static final int RATE_ONE = 4096;
    public static final int MAX_RATE_FACTOR = 0xFFFF;

    private ScalarQuantizer() {
    }

    /** Δ_c = step[ℓ][c] · (R / 4096), in binary32. */
    public static float[] effectiveSteps(PriorLevel level, int rateFactor) {
        if (rateFactor < 1 || rateFactor > MAX_RATE_FACTOR) {
            throw new IllegalArgumentException("rate factor " + rateFactor + " outside 1 … " + MAX_RATE_FACTOR);
        }
        float r = (float) rateFactor / RATE_ONE;
        float[] s = level.steps();
        for (int c = 0; c < s.length; c++) {
            s[c] *= r;
        }
        return s;
    }

    /** Encoder: {@code round(z / Δ_c)} half away from zero, clamped to ±{@link ScalarLatentCoder#MAX_ABS}. */
    public static int[][][] quantize(float[][][] z, float[] steps) {
        if (z.length != steps.length) {
            throw new IllegalArgumentException(z.length + " channels, " + steps.length + " steps");
        }
        int[][][] q = new int[z.length][][];
        for (int c = 0; c < z.length; c++) {
            q[c] = new int[z[c].length][];
            for (int y = 0; y < z[c].length; y++) {
                float[] row = z[c][y];
                int[] out = q[c][y] = new int[row.length];
                for (int x = 0; x < row.length; x++) {
                    double v = (double) row[x] / steps[c];
                    if (Double.isNaN(v)) {
                        throw new IllegalArgumentException("latent value is NaN");
                    }
                    double r = Math.copySign(Math.floor(Math.abs(v) + 0.5), v);
                    out[x] = (int) Math.max(-ScalarLatentCoder.MAX_ABS, Math.min(ScalarLatentCoder.MAX_ABS, r));
                }
            }
        }
        return q;
    }

    /** Decoder: {@code clamp((float) q · Δ_c, min, max)} in binary32. */
    public static float[][][] dequantize(int[][][] q, float[] steps, float min, float max) {
        if (q.length != steps.length) {
            throw new IllegalArgumentException(q.length + " channels, " + steps.length + " steps");
        }
        float[][][] z = new float[q.length][][];
        for (int c = 0; c < q.length; c++) {
            z[c] = new float[q[c].length][];
            for (int y = 0; y < q[c].length; y++) {
                int[] row = q[c][y];
                float[] out = z[c][y] = new float[row.length];
                for (int x = 0; x < row.length; x++) {
                    out[x] = Math.max(min, Math.min(max, (float) row[x] * steps[c]));
                }
            }
        }
        return z;
    }
}
