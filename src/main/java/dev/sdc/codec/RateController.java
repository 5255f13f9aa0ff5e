package dev.sdc.codec;

import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Finds the largest setting of a rate parameter whose encoded file fits a byte budget, for any mode whose
 * file size grows roughly (not strictly) with one integer parameter — the palette size here, a rate factor
 * in other modes. It measures the complete file each trial makes, so whatever the file carries (header,
 * metadata, …) counts against the budget, and it never returns a file it has not measured to fit.
 *
 * <p>Search: try the top (most files fit at full quality: one trial); otherwise the bottom (if even that is
 * too big, nothing fits); otherwise bisect between a fitting and a non-fitting level, which is exact when
 * size is monotone; then, because it is only roughly monotone, scan {@link #SCAN} levels above the failing
 * neighbour and keep the largest that fits. At most 2 + ⌈log₂(hi − lo)⌉ + {@link #SCAN} trials.
 */
public final class RateController {
    /** Levels tried above the bisection's boundary, for sizes that dip again after a bump. */
    public static final int SCAN = 4;

    /**
     * The chosen level and its file.
     *
     * @param level  the parameter value chosen
     * @param bytes  the file made at that level (its length is at most the budget)
     * @param trials how many encodings the search ran
     */
    public record Outcome(int level, byte[] bytes, int trials) {
    }

    private RateController() {
    }

    /**
     * @param lo       smallest level (lowest quality, fewest bytes)
     * @param hi       largest level, ≥ lo
     * @param budget   most bytes the file may have
     * @param encodeAt the complete file at one level; called at most 2 + ⌈log₂(hi − lo)⌉ + {@link #SCAN} times
     * @return the largest level found whose file fits, or empty if even {@code lo}'s file is too big
     */
    public static Optional<Outcome> largestFitting(int lo, int hi, long budget, IntFunction<byte[]> encodeAt) {
        if (lo > hi) {
            throw new IllegalArgumentException("empty level range " + lo + ".." + hi);
        }
        Search s = new Search(budget, encodeAt);
        if (s.fits(hi)) {
            return Optional.of(s.outcome());
        }
        if (hi == lo || !s.fits(lo)) {
            return Optional.empty();
        }
        int good = lo;
        int bad = hi;
        while (bad - good > 1) {
            int mid = good + (bad - good) / 2;
            if (s.fits(mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        for (int level = Math.min(hi - 1, bad + SCAN); level > bad; level--) {
            if (s.fits(level)) {
                break; // scanning downwards: the first fit is the largest of the window
            }
        }
        return Optional.of(s.outcome());
    }

    /** Trial bookkeeping: keeps the largest fitting level seen and its file. */
    private static final class Search {
        private final long budget;
        private final IntFunction<byte[]> encodeAt;
        private int trials;
        private int bestLevel = Integer.MIN_VALUE;
        private byte[] best;

        Search(long budget, IntFunction<byte[]> encodeAt) {
            this.budget = budget;
            this.encodeAt = encodeAt;
        }

        boolean fits(int level) {
            trials++;
            byte[] file = encodeAt.apply(level);
            if (file.length > budget) {
                return false;
            }
            if (level > bestLevel) {
                bestLevel = level;
                best = file;
            }
            return true;
        }

        Outcome outcome() {
            return new Outcome(bestLevel, best, trials);
        }
    }
}
