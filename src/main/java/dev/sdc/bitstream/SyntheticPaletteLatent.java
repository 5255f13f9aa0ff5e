package dev.sdc.bitstream;

import dev.sdc.latent.PaletteLatent;
import java.util.Arrays;
import java.util.Random;

/**
 * Throwaway stand-in for dev.sdc.latent, used only to measure the index coder before real latents exist:
 * a smooth random C-channel field of 8-bit codes, a k-means palette sorted along its principal axis, and
 * Floyd–Steinberg dithering onto it.
 */
final class SyntheticPaletteLatent {
    private SyntheticPaletteLatent() {
    }

    static PaletteLatent generate(long seed, int width, int height, int channels, int paletteSize) {
        Random rnd = new Random(seed);
        float[] field = smoothField(rnd, width, height, channels);
        float[][] palette = kMeans(rnd, field, channels, paletteSize);
        sortByPrincipalAxis(palette);
        int[] indices = dither(field, width, height, channels, palette);
        byte[] codes = new byte[paletteSize * channels];
        for (int i = 0; i < paletteSize; i++) {
            for (int c = 0; c < channels; c++) {
                codes[i * channels + c] = (byte) clamp(Math.round(palette[i][c]));
            }
        }
        return new PaletteLatent(channels, width, height, codes, paletteSize, indices);
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

    private static float[][] kMeans(Random rnd, float[] field, int ch, int k) {
        int n = field.length / ch;
        float[][] centres = new float[k][];
        for (int i = 0; i < k; i++) {
            int p = rnd.nextInt(n);
            centres[i] = Arrays.copyOfRange(field, p * ch, p * ch + ch);
        }
        for (int iter = 0; iter < 8; iter++) {
            double[][] sum = new double[k][ch];
            int[] count = new int[k];
            for (int p = 0; p < n; p++) {
                int best = nearest(centres, field, p * ch, ch);
                count[best]++;
                for (int c = 0; c < ch; c++) {
                    sum[best][c] += field[p * ch + c];
                }
            }
            for (int i = 0; i < k; i++) {
                if (count[i] > 0) {
                    for (int c = 0; c < ch; c++) {
                        centres[i][c] = (float) (sum[i][c] / count[i]);
                    }
                }
            }
        }
        return centres;
    }

    private static void sortByPrincipalAxis(float[][] palette) {
        int ch = palette[0].length;
        double[] mean = new double[ch];
        for (float[] e : palette) {
            for (int c = 0; c < ch; c++) {
                mean[c] += e[c] / palette.length;
            }
        }
        double[][] cov = new double[ch][ch];
        for (float[] e : palette) {
            for (int a = 0; a < ch; a++) {
                for (int b = 0; b < ch; b++) {
                    cov[a][b] += (e[a] - mean[a]) * (e[b] - mean[b]);
                }
            }
        }
        double[] axis = new double[ch];
        Arrays.fill(axis, 1);
        for (int it = 0; it < 50; it++) {
            double[] next = new double[ch];
            double norm = 0;
            for (int a = 0; a < ch; a++) {
                for (int b = 0; b < ch; b++) {
                    next[a] += cov[a][b] * axis[b];
                }
                norm += next[a] * next[a];
            }
            norm = Math.sqrt(norm) + 1e-12;
            for (int a = 0; a < ch; a++) {
                axis[a] = next[a] / norm;
            }
        }
        Arrays.sort(palette, (p, q) -> Double.compare(dot(p, axis), dot(q, axis)));
    }

    private static double dot(float[] v, double[] axis) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[i] * axis[i];
        }
        return s;
    }

    private static int[] dither(float[] src, int w, int h, int ch, float[][] palette) {
        float[] f = src.clone();
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                for (int c = 0; c < ch; c++) {
                    f[p * ch + c] = Math.max(0, Math.min(255, f[p * ch + c]));
                }
                int best = nearest(palette, f, p * ch, ch);
                out[p] = best;
                for (int c = 0; c < ch; c++) {
                    float err = f[p * ch + c] - clamp(Math.round(palette[best][c]));
                    spread(f, w, h, ch, x + 1, y, c, err * 7 / 16);
                    spread(f, w, h, ch, x - 1, y + 1, c, err * 3 / 16);
                    spread(f, w, h, ch, x, y + 1, c, err * 5 / 16);
                    spread(f, w, h, ch, x + 1, y + 1, c, err / 16);
                }
            }
        }
        return out;
    }

    private static void spread(float[] f, int w, int h, int ch, int x, int y, int c, float e) {
        if (x >= 0 && x < w && y < h) {
            f[(y * w + x) * ch + c] += e;
        }
    }

    private static int nearest(float[][] centres, float[] v, int off, int ch) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int i = 0; i < centres.length; i++) {
            double d = 0;
            for (int c = 0; c < ch; c++) {
                double t = centres[i][c] - v[off + c];
                d += t * t;
            }
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
