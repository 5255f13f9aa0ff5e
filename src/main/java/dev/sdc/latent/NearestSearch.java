package dev.sdc.latent;

import java.util.Arrays;

/**
 * Exact nearest-entry search (squared Euclidean, ties to the lowest entry index) over at most a few hundred
 * C-dimensional entries. Entries are sorted by their projection on a unit axis; since the projection gap
 * never exceeds the true distance, the search walks outward from the query's projection and stops once the
 * gap alone exceeds the best distance. On latent palettes (elongated along their principal axis) this visits a
 * small fraction of the entries, which is what makes dithering a 24 MP image's latent take well under the
 * brute-force time.
 */
final class NearestSearch {
    /** Slack so float rounding in projections can never prune an entry that ties or wins. */
    private static final float RELATIVE_SLACK = 1e-4f;
    private static final float ABSOLUTE_SLACK = 1e-2f;

    private final int channels;
    private final int size;
    private final float[] axis;
    private final float[] sorted;
    private final float[] projection;
    private final int[] original;

    /**
     * @param entries  {@code size * channels} values, entry-major; copied
     * @param axis     unit vector of length channels
     */
    NearestSearch(float[] entries, int channels, double[] axis) {
        this.channels = channels;
        this.size = entries.length / channels;
        this.axis = new float[channels];
        for (int k = 0; k < channels; k++) {
            this.axis[k] = (float) axis[k];
        }
        float[] proj = new float[size];
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
            proj[i] = dot(entries, i * channels);
        }
        Arrays.sort(order, (a, b) -> {
            int cmp = Float.compare(proj[a], proj[b]);
            return cmp != 0 ? cmp : Integer.compare(a, b);
        });
        this.sorted = new float[entries.length];
        this.projection = new float[size];
        this.original = new int[size];
        for (int r = 0; r < size; r++) {
            int i = order[r];
            System.arraycopy(entries, i * channels, sorted, r * channels, channels);
            projection[r] = proj[i];
            original[r] = i;
        }
    }

    private float dot(float[] v, int offset) {
        float s = 0;
        for (int k = 0; k < channels; k++) {
            s += axis[k] * v[offset + k];
        }
        return s;
    }

    /** Original index of the entry nearest to {@code vector[offset .. offset+C)}. */
    int nearest(float[] vector, int offset) {
        float pv = dot(vector, offset);
        int hi = lowerBound(pv);
        int lo = hi - 1;
        int best = -1;
        float bestDist = Float.POSITIVE_INFINITY;
        int c = channels;
        while (lo >= 0 || hi < size) {
            float gapLo = lo >= 0 ? pv - projection[lo] : Float.POSITIVE_INFINITY;
            float gapHi = hi < size ? projection[hi] - pv : Float.POSITIVE_INFINITY;
            int r;
            float gap;
            if (gapHi <= gapLo) {
                r = hi++;
                gap = gapHi;
            } else {
                r = lo--;
                gap = gapLo;
            }
            // The other side's gap is at least as large, so nothing further can win.
            if (gap > 0 && gap * gap > bestDist * (1 + RELATIVE_SLACK) + ABSOLUTE_SLACK) {
                break;
            }
            float d = 0;
            int base = r * c;
            for (int k = 0; k < c && d <= bestDist; k++) {
                float diff = vector[offset + k] - sorted[base + k];
                d += diff * diff;
            }
            if (d < bestDist || (d == bestDist && original[r] < best)) {
                bestDist = d;
                best = original[r];
            }
        }
        return best < 0 ? 0 : best; // only for NaN queries, which callers never pass
    }

    private int lowerBound(float p) {
        int lo = 0, hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (projection[mid] < p) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
