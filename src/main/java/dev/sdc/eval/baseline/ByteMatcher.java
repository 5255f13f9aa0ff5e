package dev.sdc.eval.baseline;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * Bühlmann's matching rule: for a target size, the LOWEST quality whose file is at least the target
 * (so a baseline never gets fewer bytes than sdc). Binary search, assuming size does not decrease with quality.
 */
public final class ByteMatcher {
    /** How the chosen file relates to the target. */
    public enum Fit {
        /** The lowest quality with size ≥ target. */
        OK,
        /** Even the lowest quality is larger than the target; the lowest quality is used. */
        OVER,
        /** Even the highest quality is smaller than the target; the highest quality is used. */
        UNDER;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The chosen encoding, its quality, fit, and how many encodes the search took. */
    public record Match<T>(int quality, T result, Fit fit, int encodes) {
    }

    private ByteMatcher() {
    }

    public static <T> Match<T> lowestQualityAtLeast(long target, int minQuality, int maxQuality,
                                                    IntFunction<T> encode, ToLongFunction<T> size) {
        if (minQuality > maxQuality) {
            throw new IllegalArgumentException("empty quality range " + minQuality + ".." + maxQuality);
        }
        Map<Integer, T> tried = new HashMap<>();
        IntFunction<T> at = q -> tried.computeIfAbsent(q, encode::apply);
        T lowest = at.apply(minQuality);
        if (size.applyAsLong(lowest) >= target) {
            Fit fit = size.applyAsLong(lowest) > target ? Fit.OVER : Fit.OK;
            return new Match<>(minQuality, lowest, fit, tried.size());
        }
        T highest = at.apply(maxQuality);
        if (size.applyAsLong(highest) < target) {
            return new Match<>(maxQuality, highest, Fit.UNDER, tried.size());
        }
        // Invariant: size(lo) < target <= size(hi).
        int lo = minQuality;
        int hi = maxQuality;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (size.applyAsLong(at.apply(mid)) >= target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return new Match<>(hi, at.apply(hi), Fit.OK, tried.size());
    }
}
