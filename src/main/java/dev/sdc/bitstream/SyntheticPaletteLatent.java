package dev.sdc.bitstream;

import dev.sdc.latent.PaletteLatent;
import dev.sdc.latent.LatentQuantizer;
import dev.sdc.latent.PaletteQuantizer;
import dev.sdc.model.Latent;
import java.util.Random;

/**
 * Synthetic palette latents for measuring the index coder without a model: a smooth random C-channel field
 * of 8-bit codes, reduced by the real {@link PaletteQuantizer} (k-means palette in principal-axis order,
 * Floyd–Steinberg dithering).
 */
final class SyntheticPaletteLatent {
    private SyntheticPaletteLatent() {
    }

    static PaletteLatent generate(long seed, int width, int height, int channels, int paletteSize) {
        Random rnd = new Random(seed);
        float[] field = smoothField(rnd, width, height, channels);
        // The field is in 8-bit code units, so a 0..255 quantizer makes latent values and codes coincide.
        float[] planar = new float[field.length];
        for (int i = 0; i < width * height; i++) {
            for (int c = 0; c < channels; c++) {
                planar[c * width * height + i] = field[i * channels + c];
            }
        }
        Latent latent = new Latent(channels, height, width, planar);
        return new PaletteQuantizer().quantize(latent, new LatentQuantizer(0f, 255f), paletteSize, true);
    }

    /** Sum of random low-frequency waves, mixed across channels so they correlate like VAE latents, plus noise. */
    private static float[] smoothField(Random rnd, int w, int h, int ch) {
        int waves = 12;
        double[][] base = new double[ch][w * h];
        for (int c = 0; c < ch; c++) {
            for (int k = 0; k < waves; k++) {
                double fx = rnd.nextGaussian() * 0.15, fy = rnd.nextGaussian() * 0.15;
                double phase = rnd.nextDouble() * 2 * Math.PI, amp = 1.0 / (1 + 4 * Math.hypot(fx, fy));
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        base[c][y * w + x] += amp * Math.cos(fx * x + fy * y + phase);
                    }
                }
            }
        }
        float[] out = new float[w * h * ch];
        double[][] mix = new double[ch][ch];
        for (double[] row : mix) {
            for (int j = 0; j < ch; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        for (int i = 0; i < w * h; i++) {
            for (int c = 0; c < ch; c++) {
                double v = 0.6 * base[c][i];
                for (int j = 0; j < ch; j++) {
                    v += 0.4 * mix[c][j] * base[j][i];
                }
                out[i * ch + c] = (float) Math.max(0, Math.min(255, 128 + 18 * v + 4 * rnd.nextGaussian()));
            }
        }
        return out;
    }
}
