package dev.sdc.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DithererTest {
    /** 5×5 grid {0, 64, 128, 192, 255}² in two channels. */
    private static Palette grid() {
        int[] levels = {0, 64, 128, 192, 255};
        int[] codes = new int[25 * 2];
        for (int i = 0; i < 25; i++) {
            codes[2 * i] = levels[i / 5];
            codes[2 * i + 1] = levels[i % 5];
        }
        return new Palette(2, codes);
    }

    /** Smooth 2-channel gradient that lies between palette levels: 70..110 horizontally, 130..170 vertically. */
    private static float[] gradient(int w, int h) {
        float[] t = new float[w * h * 2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                t[(y * w + x) * 2] = 70 + 40f * x / (w - 1);
                t[(y * w + x) * 2 + 1] = 130 + 40f * y / (h - 1);
            }
        }
        return t;
    }

    private static double[] meanError(float[] target, int[] indices, Palette p) {
        int c = p.channels();
        double[] err = new double[c];
        for (int i = 0; i < indices.length; i++) {
            for (int k = 0; k < c; k++) {
                err[k] += p.code(indices[i], k) - target[i * c + k];
            }
        }
        for (int k = 0; k < c; k++) {
            err[k] /= indices.length;
        }
        return err;
    }

    @Test
    void ditheringPreservesTheMeanWhereNearestColourDoesNot() {
        int w = 64, h = 64;
        float[] target = gradient(w, h);
        Palette p = grid();
        double[] dithered = meanError(target, new FloydSteinbergDitherer().map(target, w, h, p), p);
        double[] nearest = meanError(target, new NearestColorMapper().map(target, w, h, p), p);
        for (int k = 0; k < 2; k++) {
            assertTrue(Math.abs(dithered[k]) < 0.5, "channel " + k + " dithered mean error " + dithered[k]);
            assertTrue(Math.abs(nearest[k]) >= 2, "channel " + k + " nearest mean error " + nearest[k]);
            assertTrue(Math.abs(dithered[k]) < Math.abs(nearest[k]) / 10, dithered[k] + " vs " + nearest[k]);
        }
    }

    @Test
    void ditheredPerPixelErrorIsBoundedByThePaletteSpacing() {
        int w = 64, h = 64;
        float[] target = gradient(w, h);
        Palette p = grid();
        int[] idx = new FloydSteinbergDitherer().map(target, w, h, p);
        for (int i = 0; i < idx.length; i++) {
            for (int k = 0; k < 2; k++) {
                float e = Math.abs(p.code(idx[i], k) - target[i * 2 + k]);
                assertTrue(e <= 64, "pixel " + i + " channel " + k + " error " + e);
            }
        }
    }

    @Test
    void unreachableTargetsDoNotMakeTheErrorRunAway() {
        // Palette only covers 100..150; rows 0..3 want 255, which it cannot reach. The error they build up is
        // capped by the clamp, so it is spent within a few rows once the target drops back to 100.
        Palette p = new Palette(1, new int[] {100, 150});
        int w = 32, h = 12;
        float[] target = new float[w * h];
        for (int i = 0; i < target.length; i++) {
            target[i] = i < 4 * w ? 255f : 100f;
        }
        int[] idx = new FloydSteinbergDitherer().map(target, w, h, p);
        for (int i = 0; i < 4 * w; i++) {
            assertEquals(1, idx[i]);
        }
        for (int i = 8 * w; i < h * w; i++) {
            assertEquals(0, idx[i], "pixel " + i);
        }
    }

    @Test
    void constantTargetOnAnEntryIsExact() {
        Palette p = grid();
        float[] target = new float[10 * 6 * 2];
        for (int i = 0; i < 60; i++) {
            target[2 * i] = 128;
            target[2 * i + 1] = 64;
        }
        int[] idx = new FloydSteinbergDitherer().map(target, 10, 6, p);
        for (int i : idx) {
            assertEquals(128, p.code(i, 0));
            assertEquals(64, p.code(i, 1));
        }
    }

    @Test
    void nearestMappingPicksTheTrueNearestEntry() {
        SplittableRandom r = new SplittableRandom(11);
        int c = 4, n = 37;
        int[] codes = new int[n * c];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = r.nextInt(256);
        }
        Palette p = new Palette(c, codes);
        int w = 20, h = 15;
        float[] target = new float[w * h * c];
        for (int i = 0; i < target.length; i++) {
            target[i] = (float) (r.nextDouble() * 300 - 20);
        }
        int[] idx = new NearestColorMapper().map(target, w, h, p);
        for (int px = 0; px < w * h; px++) {
            double chosen = sq(target, px * c, p, idx[px]);
            for (int e = 0; e < n; e++) {
                double d = sq(target, px * c, p, e);
                assertTrue(chosen < d || (chosen == d && idx[px] <= e), "pixel " + px + " entry " + e);
            }
        }
    }

    private static double sq(float[] v, int off, Palette p, int e) {
        double d = 0;
        for (int k = 0; k < p.channels(); k++) {
            double diff = v[off + k] - p.code(e, k);
            d += diff * diff;
        }
        return d;
    }

    @Test
    void nearestSearchMatchesBruteForceIncludingTies() {
        // Integer targets on a grid palette produce many exact ties (e.g. 32 is equidistant from 0 and 64).
        Palette p = grid();
        float[] v = new float[2];
        for (int a = -40; a <= 300; a += 4) {
            for (int b = -40; b <= 300; b += 4) {
                v[0] = a;
                v[1] = b;
                int bruteForce = 0;
                for (int e = 1; e < p.size(); e++) {
                    if (sq(v, 0, p, e) < sq(v, 0, p, bruteForce)) {
                        bruteForce = e;
                    }
                }
                assertEquals(bruteForce, p.nearest(v, 0), a + "," + b);
            }
        }
    }

    @Test
    void tiesGoToTheLowerIndex() {
        Palette p = new Palette(1, new int[] {10, 20});
        assertArrayEquals(new int[] {0}, new NearestColorMapper().map(new float[] {15f}, 1, 1, p));
    }

    /**
     * 2×2, one channel, palette {0, 255}, rows [32, 32] and [32, 96]. Row 0 (left to right) maps both to 0 and
     * leaves errors 18.625 under x=0 and 16.375 under x=1. Serpentine row 1 starts at x=1: 96 + 16.375 =
     * 112.375 → 0, pushing 7/16 of it left, so x=0 sees 32 + 18.625 + 49.16 = 99.8 → 0. A raster row 1 starts
     * at x=0: 50.625 → 0, pushing 22.15 right, so x=1 sees 96 + 16.375 + 22.15 = 134.5 → 255.
     */
    @Test
    void serpentineScanOrderMatters() {
        Palette p = new Palette(1, new int[] {0, 255});
        float[] target = {32, 32, 32, 96};
        assertArrayEquals(new int[] {0, 0, 0, 0}, new FloydSteinbergDitherer().map(target, 2, 2, p));
        assertArrayEquals(new int[] {0, 0, 0, 1}, new FloydSteinbergDitherer(false).map(target, 2, 2, p));
    }

    @Test
    void rowZeroDiffusesSevenSixteenthsAhead() {
        // 100 → 0 leaves 100; 7/16 of it (43.75) lifts 90 to 133.75 → 255.
        Palette p = new Palette(1, new int[] {0, 255});
        assertArrayEquals(new int[] {0, 1}, new FloydSteinbergDitherer().map(new float[] {100, 90}, 2, 1, p));
        assertArrayEquals(new int[] {0, 0}, new NearestColorMapper().map(new float[] {100, 90}, 2, 1, p));
    }

    @Test
    void deterministic() {
        float[] target = gradient(33, 17);
        Palette p = grid();
        assertArrayEquals(new FloydSteinbergDitherer().map(target, 33, 17, p),
                new FloydSteinbergDitherer().map(target.clone(), 33, 17, p));
        assertNotEquals(0, new FloydSteinbergDitherer().map(target, 33, 17, p)[0] + 1);
    }

    @Test
    void rejectsMismatchedShapes() {
        Palette p = grid();
        assertThrows(IllegalArgumentException.class, () -> new FloydSteinbergDitherer().map(new float[7], 2, 2, p));
        assertThrows(IllegalArgumentException.class, () -> new NearestColorMapper().map(new float[8], 0, 2, p));
    }
}
