package dev.sdc.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PaletteBuilderTest {
    private final PaletteBuilder builder = new PaletteBuilder();

    /** A smooth 4-channel field with noise, like a real latent: many unique vectors. */
    static int[] smoothCodes(int w, int h, int c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] codes = new int[w * h * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    double v = 128 + 60 * Math.sin(0.07 * x * (k + 1) + 0.05 * y) + 30 * Math.cos(0.11 * y - k)
                            + r.nextGaussian() * 4;
                    codes[(y * w + x) * c + k] = (int) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return codes;
    }

    private static Set<List<Integer>> vectors(int[] codes, int c) {
        Set<List<Integer>> set = new HashSet<>();
        for (int i = 0; i < codes.length; i += c) {
            Integer[] v = new Integer[c];
            for (int k = 0; k < c; k++) {
                v[k] = codes[i + k];
            }
            set.add(List.of(v));
        }
        return set;
    }

    @Test
    void neverExceedsTheLimitAndHasDistinctEntriesInRange() {
        int[] codes = smoothCodes(48, 32, 4, 1);
        for (int n : new int[] {1, 2, 7, 64, 256}) {
            Palette p = builder.build(codes, 4, n);
            assertTrue(p.size() >= 1 && p.size() <= n, "size " + p.size() + " for limit " + n);
            int[] entries = p.codes();
            assertEquals(p.size(), vectors(entries, 4).size(), "duplicate entries");
            for (int e : entries) {
                assertTrue(e >= 0 && e <= 255);
            }
        }
        assertTrue(builder.build(codes, 4, 256).size() > 200, "a rich image should use most of the palette");
    }

    @Test
    void identicalAcrossRunsAndForPermutedPixelOrder() {
        int c = 4;
        int[] codes = smoothCodes(40, 30, c, 2);
        Palette a = builder.build(codes, c, 64);
        Palette b = new PaletteBuilder().build(codes.clone(), c, 64);
        assertEquals(a, b);

        int n = codes.length / c;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom r = new SplittableRandom(3);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] permuted = new int[codes.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(codes, perm[i] * c, permuted, i * c, c);
        }
        assertEquals(a, builder.build(permuted, c, 64));
    }

    @Test
    void sampledPathIsDeterministicToo() {
        PaletteBuilder small = new PaletteBuilder(7, 8, 300); // forces sampling: ~1000s of unique vectors
        int[] codes = smoothCodes(40, 30, 4, 4);
        Palette a = small.build(codes, 4, 32);
        assertEquals(a, small.build(codes, 4, 32));
        assertTrue(a.size() <= 32 && a.size() > 16);
    }

    @Test
    void exactWhenUniqueVectorsFitThePalette() {
        int c = 3;
        int[][] colours = {{10, 20, 30}, {200, 5, 90}, {0, 0, 0}, {255, 255, 255}, {11, 20, 30}};
        SplittableRandom r = new SplittableRandom(5);
        int[] codes = new int[500 * c];
        for (int i = 0; i < 500; i++) {
            System.arraycopy(colours[i < colours.length ? i : r.nextInt(colours.length)], 0, codes, i * c, c);
        }
        Palette p = builder.build(codes, c, 5);
        assertEquals(5, p.size());
        assertEquals(vectors(codes, c), vectors(p.codes(), c));

        Palette single = builder.build(new int[] {7, 8, 9, 7, 8, 9}, 3, 1);
        assertArrayEquals(new int[] {7, 8, 9}, single.codes());
    }

    @Test
    void oneColourPaletteIsTheRoundedMean() {
        int[] codes = {0, 0, 10, 10, 20, 20, 30, 31}; // C=2
        Palette p = builder.build(codes, 2, 1);
        assertArrayEquals(new int[] {15, 15}, p.codes()); // means 15, 15.25
    }

    @Test
    void entriesAreOrderedAlongThePrincipalAxis() {
        // Points on a diagonal line, given out of order: the palette must come back sorted along it.
        int c = 2;
        int[] codes = {200, 180, 0, 20, 100, 120, 50, 70, 150, 170};
        Palette p = builder.build(codes, c, 8);
        assertArrayEquals(new int[] {0, 20, 50, 70, 100, 120, 150, 170, 200, 180}, p.codes());

        // Along a reversed axis the sign rule (largest component positive) still gives ascending first channel.
        int[] anti = {0, 200, 200, 0, 100, 100};
        assertArrayEquals(new int[] {0, 200, 100, 100, 200, 0}, builder.build(anti, c, 3).codes());
    }

    @Test
    void neighbouringEntriesAreCloserThanRandomPairs() {
        int c = 4;
        // Channels strongly correlated (one dominant direction, as principal-axis ordering assumes).
        SplittableRandom r = new SplittableRandom(6);
        int[] codes = new int[64 * 48 * c];
        for (int i = 0; i < 64 * 48; i++) {
            double t = r.nextDouble() * 200;
            for (int k = 0; k < c; k++) {
                double v = 28 + (k % 2 == 0 ? t : 200 - t) + r.nextGaussian() * 6;
                codes[i * c + k] = (int) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
        Palette p = builder.build(codes, c, 128);
        assertTrue(meanNeighbourDistance(p) < 0.3 * meanPairDistance(p),
                meanNeighbourDistance(p) + " vs " + meanPairDistance(p));
        // Roughly isotropic data: a 1-D order can only help a little, but it must still help.
        Palette iso = builder.build(smoothCodes(64, 48, c, 6), c, 128);
        assertTrue(meanNeighbourDistance(iso) < 0.9 * meanPairDistance(iso));
    }

    private static double meanNeighbourDistance(Palette p) {
        double sum = 0;
        for (int i = 1; i < p.size(); i++) {
            sum += dist(p, i - 1, i);
        }
        return sum / (p.size() - 1);
    }

    private static double meanPairDistance(Palette p) {
        double all = 0;
        int pairs = 0;
        for (int i = 0; i < p.size(); i++) {
            for (int j = i + 1; j < p.size(); j++) {
                all += dist(p, i, j);
                pairs++;
            }
        }
        return all / pairs;
    }

    private static double dist(Palette p, int a, int b) {
        double d = 0;
        for (int k = 0; k < p.channels(); k++) {
            double diff = p.code(a, k) - p.code(b, k);
            d += diff * diff;
        }
        return Math.sqrt(d);
    }

    @Test
    void clustersReduceErrorComparedWithFewerColours() {
        int c = 4;
        int[] codes = smoothCodes(48, 32, c, 8);
        double e16 = meanSquaredError(codes, builder.build(codes, c, 16));
        double e128 = meanSquaredError(codes, builder.build(codes, c, 128));
        assertTrue(e128 < e16 / 2, e16 + " vs " + e128);
    }

    private static double meanSquaredError(int[] codes, Palette p) {
        int c = p.channels();
        float[] v = new float[c];
        double sum = 0;
        for (int i = 0; i < codes.length; i += c) {
            for (int k = 0; k < c; k++) {
                v[k] = codes[i + k];
            }
            int e = p.nearest(v, 0);
            for (int k = 0; k < c; k++) {
                double d = codes[i + k] - p.code(e, k);
                sum += d * d;
            }
        }
        return sum / codes.length;
    }

    @Test
    void differentSeedsMayDifferButBothAreValid() {
        int[] codes = smoothCodes(40, 30, 4, 9);
        Palette a = new PaletteBuilder(1, 0, 65_536).build(codes, 4, 16);
        Palette b = new PaletteBuilder(2, 0, 65_536).build(codes, 4, 16);
        assertNotEquals(a, b); // with no Lloyd steps the seeded initialisation shows through
    }

    @Test
    void worksForSixteenChannels() {
        int[] codes = smoothCodes(20, 10, 16, 10);
        Palette p = builder.build(codes, 16, 32);
        assertTrue(p.size() <= 32);
        assertEquals(p, builder.build(codes, 16, 32));
        int[] few = new int[16 * 4];
        few[5] = 255;
        few[16 + 15] = 3; // vectors: e5, 3·e15, 0, 0 → 3 unique
        assertEquals(3, builder.build(few, 16, 256).size());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> builder.build(new int[] {1, 2}, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> builder.build(new int[] {1, 2}, 2, 257));
        assertThrows(IllegalArgumentException.class, () -> builder.build(new int[] {1, 2, 3}, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> builder.build(new int[0], 2, 4));
        assertThrows(IllegalArgumentException.class, () -> builder.build(new int[17], 17, 4));
        assertThrows(IllegalArgumentException.class, () -> builder.build(new int[] {1, 256}, 2, 4));
    }
}
