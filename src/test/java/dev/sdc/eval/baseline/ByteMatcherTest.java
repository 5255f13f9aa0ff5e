package dev.sdc.eval.baseline;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteMatcherTest {
    /** A fake monotone encoder: size grows with quality, with plateaus (equal sizes) like real encoders. */
    private static long size(int q) {
        return 1000 + 37L * q + 5L * (q / 3) * (q / 3);
    }

    private static ByteMatcher.Match<Long> match(long target, List<Integer> calls) {
        IntFunction<Long> enc = q -> {
            calls.add(q);
            return size(q);
        };
        return ByteMatcher.lowestQualityAtLeast(target, 1, 100, enc, Long::longValue);
    }

    @Test
    void choosesTheLowestQualityAtLeastTheTargetForEveryTarget() {
        for (long target = size(1) + 1; target <= size(100); target += 7) {
            List<Integer> calls = new ArrayList<>();
            ByteMatcher.Match<Long> m = match(target, calls);
            // Brute force: the first quality whose size reaches the target.
            int expected = 1;
            while (size(expected) < target) {
                expected++;
            }
            assertEquals(expected, m.quality(), "target " + target);
            assertEquals(size(expected), m.result());
            assertEquals(ByteMatcher.Fit.OK, m.fit());
            assertTrue(m.result() >= target);
            assertTrue(calls.size() <= 9, "binary search, not a scan: " + calls.size());
        }
    }

    @Test
    void exactSizeMatchesItsQuality() {
        ByteMatcher.Match<Long> m = match(size(40), new ArrayList<>());
        assertEquals(40, m.quality());
        assertEquals(ByteMatcher.Fit.OK, m.fit());
    }

    @Test
    void targetBelowTheSmallestFileTakesTheLowestQualityMarkedOver() {
        ByteMatcher.Match<Long> m = match(10, new ArrayList<>());
        assertEquals(1, m.quality());
        assertEquals(ByteMatcher.Fit.OVER, m.fit());
    }

    @Test
    void targetAboveTheLargestFileTakesTheHighestQualityMarkedUnder() {
        ByteMatcher.Match<Long> m = match(size(100) + 1, new ArrayList<>());
        assertEquals(100, m.quality());
        assertEquals(ByteMatcher.Fit.UNDER, m.fit());
    }

    @Test
    void eachQualityIsEncodedOnce() {
        List<Integer> calls = new ArrayList<>();
        match(size(57) - 3, calls);
        assertEquals(calls.size(), calls.stream().distinct().count());
    }
}
