package dev.sdc.latent;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Builds a palette of at most N colours for the 8-bit code vectors of one latent by weighted k-means.
 *
 * <p>Choices, and why:
 * <ul>
 *   <li><b>Histogram, not pixels.</b> Pixels are first collapsed into their unique code vectors with counts
 *       (sorting packed keys, so the result is in lexicographic order and independent of pixel order and of
 *       any hash order). Latents are smooth, so this is usually far smaller than the pixel count. If the image
 *       has at most N unique vectors the palette is exactly those: lossless.</li>
 *   <li><b>Sampling for huge images.</b> When more than {@value #DEFAULT_MAX_SAMPLES} unique vectors remain, a
 *       seeded uniform sample of that many (each keeping its count) stands in for the histogram during
 *       clustering. Clustering cost is O(samples · N · C) per iteration, so this bounds the time for a
 *       750×500 latent (24 MP image) to a few seconds while the weighted sample keeps the distribution.</li>
 *   <li><b>Seeded k-means++ initialisation</b> (weights = counts × squared distance), using
 *       {@link SplittableRandom} with a fixed seed, then at most {@value #DEFAULT_ITERATIONS} weighted Lloyd
 *       iterations (stopping early once no assignment changes). Distance is squared Euclidean in code space;
 *       assignment uses the exact projection-pruned {@link NearestSearch} along the data's principal axis.
 *   </li>
 *   <li><b>Final entries</b> are the cluster means rounded to 0..255; empty clusters and entries that round
 *       to the same code vector are dropped.</li>
 *   <li><b>Order.</b> Entries are sorted by their projection on the first principal component of the
 *       entries weighted by cluster population (sign fixed so the largest-magnitude component is positive,
 *       ties broken lexicographically), so neighbouring indices are similar colours — the entropy coder's
 *       neighbour-index context relies on this.</li>
 * </ul>
 * Instances are immutable and thread-safe; equal inputs give identical palettes.
 */
public final class PaletteBuilder {
    public static final long DEFAULT_SEED = 0x5DC_1A7E_47L;
    public static final int DEFAULT_ITERATIONS = 16;
    public static final int DEFAULT_MAX_SAMPLES = 65_536;

    private final long seed;
    private final int iterations;
    private final int maxSamples;

    public PaletteBuilder() {
        this(DEFAULT_SEED, DEFAULT_ITERATIONS, DEFAULT_MAX_SAMPLES);
    }

    /**
     * @param seed       seed of the k-means++ initialisation and of sampling
     * @param iterations maximum Lloyd iterations, ≥ 0
     * @param maxSamples unique vectors above which clustering runs on a sample of this many, ≥ 256
     */
    public PaletteBuilder(long seed, int iterations, int maxSamples) {
        if (iterations < 0 || maxSamples < Palette.MAX_ENTRIES) {
            throw new IllegalArgumentException("need iterations >= 0 and maxSamples >= 256, got "
                    + iterations + ", " + maxSamples);
        }
        this.seed = seed;
        this.iterations = iterations;
        this.maxSamples = maxSamples;
    }

    /**
     * @param codes     per-pixel code vectors, interleaved {@code [pixel*C + c]}, each 0..255, at least one pixel
     * @param channels  C, 1..16
     * @param maxColors N, 1..256
     */
    public Palette build(int[] codes, int channels, int maxColors) {
        if (channels < 1 || channels > Palette.MAX_CHANNELS) {
            throw new IllegalArgumentException("channels must be 1.." + Palette.MAX_CHANNELS + ", got " + channels);
        }
        if (maxColors < 1 || maxColors > Palette.MAX_ENTRIES) {
            throw new IllegalArgumentException("maxColors must be 1..256, got " + maxColors);
        }
        if (codes.length == 0 || codes.length % channels != 0) {
            throw new IllegalArgumentException("code array length " + codes.length + " is not a positive multiple of "
                    + channels);
        }
        Histogram h = Histogram.of(codes, channels);
        if (h.size <= maxColors) {
            return ordered(h.vectors, h.counts, h.size, channels);
        }
        SplittableRandom random = new SplittableRandom(seed);
        if (h.size > maxSamples) {
            h = h.sample(maxSamples, random);
        }
        double[] centres = initialise(h, channels, maxColors, random);
        double[] axis = principalAxis(h.vectors, h.counts, h.size, channels);
        float[] points = new float[h.vectors.length];
        for (int i = 0; i < points.length; i++) {
            points[i] = h.vectors[i];
        }
        int[] assignment = new int[h.size];
        Arrays.fill(assignment, -1);
        assign(points, h.size, channels, centres, axis, assignment);
        for (int it = 0; it < iterations; it++) {
            update(h, channels, centres, maxColors, assignment);
            if (!assign(points, h.size, channels, centres, axis, assignment)) {
                break;
            }
        }
        return finish(h, channels, centres, maxColors, assignment);
    }

    /** Weighted k-means++: each next centre is drawn with probability ∝ count · (distance to nearest centre)². */
    private static double[] initialise(Histogram h, int c, int k, SplittableRandom random) {
        double[] centres = new double[k * c];
        double[] dist = new double[h.size];
        int first = pick(h.counts, null, h.size, random);
        copyCentre(h, c, first, centres, 0);
        for (int i = 0; i < h.size; i++) {
            dist[i] = distance(h.vectors, i * c, centres, 0, c);
        }
        for (int j = 1; j < k; j++) {
            int next = pick(h.counts, dist, h.size, random);
            copyCentre(h, c, next, centres, j);
            for (int i = 0; i < h.size; i++) {
                double d = distance(h.vectors, i * c, centres, j * c, c);
                if (d < dist[i]) {
                    dist[i] = d;
                }
            }
        }
        return centres;
    }

    /** Index drawn with probability ∝ counts[i]·dist[i] (dist null: ∝ counts[i]). */
    private static int pick(int[] counts, double[] dist, int n, SplittableRandom random) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += dist == null ? counts[i] : counts[i] * dist[i];
        }
        // More unique vectors than centres means some vector is still at distance > 0, so total > 0.
        double target = random.nextDouble() * total;
        double acc = 0;
        int lastPositive = 0;
        for (int i = 0; i < n; i++) {
            double w = dist == null ? counts[i] : counts[i] * dist[i];
            if (w > 0) {
                acc += w;
                lastPositive = i;
                if (acc > target) {
                    return i;
                }
            }
        }
        return lastPositive; // rounding left target just above the final sum
    }

    private static void copyCentre(Histogram h, int c, int vector, double[] centres, int j) {
        for (int k = 0; k < c; k++) {
            centres[j * c + k] = h.vectors[vector * c + k];
        }
    }

    private static double distance(int[] v, int vo, double[] centres, int co, int c) {
        double d = 0;
        for (int k = 0; k < c; k++) {
            double diff = v[vo + k] - centres[co + k];
            d += diff * diff;
        }
        return d;
    }

    /** Assigns each vector to its nearest centre (lowest index on ties); returns whether anything changed. */
    private static boolean assign(float[] points, int n, int c, double[] centres, double[] axis, int[] assignment) {
        float[] f = new float[centres.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) centres[i];
        }
        NearestSearch search = new NearestSearch(f, c, axis);
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            int best = search.nearest(points, i * c);
            if (assignment[i] != best) {
                assignment[i] = best;
                changed = true;
            }
        }
        return changed;
    }

    /** Moves each non-empty centre to the weighted mean of its vectors; empty centres stay put. */
    private static void update(Histogram h, int c, double[] centres, int k, int[] assignment) {
        double[] sums = new double[k * c];
        long[] weights = new long[k];
        for (int i = 0; i < h.size; i++) {
            int j = assignment[i];
            int w = h.counts[i];
            weights[j] += w;
            for (int q = 0; q < c; q++) {
                sums[j * c + q] += (double) w * h.vectors[i * c + q];
            }
        }
        for (int j = 0; j < k; j++) {
            if (weights[j] > 0) {
                for (int q = 0; q < c; q++) {
                    centres[j * c + q] = sums[j * c + q] / weights[j];
                }
            }
        }
    }

    /** Rounds the populated centres, merges duplicates and orders the result. */
    private static Palette finish(Histogram h, int c, double[] centres, int k, int[] assignment) {
        long[] weights = new long[k];
        for (int i = 0; i < h.size; i++) {
            weights[assignment[i]] += h.counts[i];
        }
        int[] rounded = new int[k * c];
        int[] roundedWeights = new int[k];
        int n = 0;
        for (int j = 0; j < k; j++) {
            if (weights[j] == 0) {
                continue;
            }
            for (int q = 0; q < c; q++) {
                long v = Math.round(centres[j * c + q]);
                rounded[n * c + q] = (int) Math.max(0, Math.min(LatentQuantizer.MAX_CODE, v));
            }
            roundedWeights[n] = (int) Math.min(Integer.MAX_VALUE, weights[j]);
            n++;
        }
        // Merge centres that round to the same vector; the histogram helper does exactly that.
        Histogram merged = Histogram.of(Arrays.copyOf(rounded, n * c), c, Arrays.copyOf(roundedWeights, n));
        return ordered(merged.vectors, merged.counts, merged.size, c);
    }

    /** Sorts entries along the weighted first principal component; see the class comment. */
    static Palette ordered(int[] vectors, int[] counts, int n, int c) {
        double[] axis = principalAxis(vectors, counts, n, c);
        double[] projection = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            double p = 0;
            for (int q = 0; q < c; q++) {
                p += axis[q] * vectors[i * c + q];
            }
            projection[i] = p;
        }
        Arrays.sort(order, (a, b) -> {
            int cmp = Double.compare(projection[a], projection[b]);
            for (int q = 0; cmp == 0 && q < c; q++) {
                cmp = Integer.compare(vectors[a * c + q], vectors[b * c + q]);
            }
            return cmp;
        });
        int[] codes = new int[n * c];
        for (int i = 0; i < n; i++) {
            System.arraycopy(vectors, order[i] * c, codes, i * c, c);
        }
        return new Palette(c, codes);
    }

    /** Unit first principal component by power iteration; the first axis if the entries do not vary. */
    static double[] principalAxis(int[] vectors, int[] counts, int n, int c) {
        double total = 0;
        double[] mean = new double[c];
        for (int i = 0; i < n; i++) {
            total += counts[i];
            for (int q = 0; q < c; q++) {
                mean[q] += (double) counts[i] * vectors[i * c + q];
            }
        }
        for (int q = 0; q < c; q++) {
            mean[q] /= total;
        }
        double[] cov = new double[c * c];
        double[] d = new double[c];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < c; q++) {
                d[q] = vectors[i * c + q] - mean[q];
            }
            for (int a = 0; a < c; a++) {
                for (int b = 0; b < c; b++) {
                    cov[a * c + b] += counts[i] * d[a] * d[b];
                }
            }
        }
        // Start from the axis of largest variance: deterministic and never orthogonal to the top component
        // unless the variance is degenerate, in which case any axis is as good.
        int start = 0;
        for (int q = 1; q < c; q++) {
            if (cov[q * c + q] > cov[start * c + start]) {
                start = q;
            }
        }
        double[] v = new double[c];
        v[start] = 1;
        if (!(cov[start * c + start] > 0)) {
            return v;
        }
        double[] next = new double[c];
        for (int it = 0; it < 200; it++) {
            double norm = 0;
            for (int a = 0; a < c; a++) {
                double s = 0;
                for (int b = 0; b < c; b++) {
                    s += cov[a * c + b] * v[b];
                }
                next[a] = s;
                norm += s * s;
            }
            norm = Math.sqrt(norm);
            if (!(norm > 0)) {
                break;
            }
            double delta = 0;
            for (int a = 0; a < c; a++) {
                double x = next[a] / norm;
                delta += Math.abs(x - v[a]);
                v[a] = x;
            }
            if (delta < 1e-12) {
                break;
            }
        }
        int big = 0;
        for (int q = 1; q < c; q++) {
            if (Math.abs(v[q]) > Math.abs(v[big]) + 1e-12) {
                big = q;
            }
        }
        if (v[big] < 0) {
            for (int q = 0; q < c; q++) {
                v[q] = -v[q];
            }
        }
        return v;
    }

    /** Unique code vectors in lexicographic order with their total counts. */
    static final class Histogram {
        final int[] vectors;
        final int[] counts;
        final int size;

        private Histogram(int[] vectors, int[] counts, int size) {
            this.vectors = vectors;
            this.counts = counts;
            this.size = size;
        }

        static Histogram of(int[] codes, int c) {
            return of(codes, c, null);
        }

        /** @param weights per-vector weights, or null for 1 each */
        static Histogram of(int[] codes, int c, int[] weights) {
            int n = codes.length / c;
            int words = (c + 7) / 8;
            // Pack 8 codes per long; the top byte is XOR-ed with 0x80 so signed long order is lexicographic.
            long[] keys = new long[n * words];
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < c; q++) {
                    int code = codes[i * c + q];
                    if (code < 0 || code > LatentQuantizer.MAX_CODE) {
                        throw new IllegalArgumentException("code out of range 0..255: " + code);
                    }
                    int w = q / 8;
                    int shift = 56 - 8 * (q % 8);
                    keys[i * words + w] |= (long) code << shift;
                }
                for (int w = 0; w < words; w++) {
                    keys[i * words + w] ^= Long.MIN_VALUE;
                }
            }
            int[] order = sortedOrder(keys, words, n, weights == null);
            int[] vectors = new int[n * c];
            int[] counts = new int[n];
            int size = 0;
            for (int r = 0; r < n; r++) {
                int i = order == null ? r : order[r];
                boolean same = size > 0 && sameKey(keys, words, i, order == null ? r - 1 : order[r - 1]);
                int w = weights == null ? 1 : weights[i];
                if (same) {
                    counts[size - 1] += w;
                } else {
                    // Keys are unpacked rather than read from codes[] so the null-order path (keys sorted
                    // in place) works too.
                    for (int q = 0; q < c; q++) {
                        long word = keys[i * words + q / 8] ^ Long.MIN_VALUE;
                        vectors[size * c + q] = (int) (word >>> (56 - 8 * (q % 8))) & 0xFF;
                    }
                    counts[size] = w;
                    size++;
                }
            }
            return new Histogram(Arrays.copyOf(vectors, size * c), Arrays.copyOf(counts, size), size);
        }

        /** Null when keys could be sorted in place (one word, unit weights); else a permutation. */
        private static int[] sortedOrder(long[] keys, int words, int n, boolean unitWeights) {
            if (words == 1 && unitWeights) {
                Arrays.sort(keys);
                return null;
            }
            Integer[] idx = new Integer[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> {
                for (int w = 0; w < words; w++) {
                    int cmp = Long.compare(keys[a * words + w], keys[b * words + w]);
                    if (cmp != 0) {
                        return cmp;
                    }
                }
                return 0;
            });
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = idx[i];
            }
            return out;
        }

        private static boolean sameKey(long[] keys, int words, int a, int b) {
            for (int w = 0; w < words; w++) {
                if (keys[a * words + w] != keys[b * words + w]) {
                    return false;
                }
            }
            return true;
        }

        /** A seeded uniform sample of m distinct vectors, each keeping its count. */
        Histogram sample(int m, SplittableRandom random) {
            int[] idx = new int[size];
            for (int i = 0; i < size; i++) {
                idx[i] = i;
            }
            for (int i = 0; i < m; i++) { // partial Fisher–Yates
                int j = i + random.nextInt(size - i);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            Arrays.sort(idx, 0, m); // keep lexicographic order, so the result does not depend on the shuffle order
            int c = vectors.length / size;
            int[] v = new int[m * c];
            int[] w = new int[m];
            for (int i = 0; i < m; i++) {
                System.arraycopy(vectors, idx[i] * c, v, i * c, c);
                w[i] = counts[idx[i]];
            }
            return new Histogram(v, w, m);
        }
    }
}
