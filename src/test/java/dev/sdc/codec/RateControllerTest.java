package dev.sdc.codec;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.*;

/** The search on synthetic size curves: exact when monotone, never over budget when not, bounded trials. */
class RateControllerTest {
    private static final int MAX_TRIALS = 2 + 8 + RateController.SCAN; // levels 1..256

    /** A "file" of {@code sizes[level]} bytes whose first byte records the level. */
    private static IntFunction<byte[]> files(int[] sizes, int[] calls) {
        return level -> {
            calls[0]++;
            byte[] b = new byte[sizes[level]];
            b[0] = (byte) level;
            return b;
        };
    }

    private static int[] monotone() {
        int[] sizes = new int[257];
        for (int k = 1; k <= 256; k++) {
            sizes[k] = 100 + 10 * k;
        }
        return sizes;
    }

    @Test
    void monotoneSizesGiveTheExactLargestFit() {
        int[] sizes = monotone();
        for (long budget = 110; budget <= 2660; budget += 7) {
            int[] calls = {0};
            RateController.Outcome o = RateController.largestFitting(1, 256, budget, files(sizes, calls)).orElseThrow();
            int expect = (int) Math.min(256, (budget - 100) / 10);
            assertEquals(expect, o.level(), "budget " + budget);
            assertEquals(sizes[expect], o.bytes().length);
            assertEquals((byte) expect, o.bytes()[0], "the file returned is the one made at the chosen level");
            assertEquals(calls[0], o.trials());
            assertTrue(o.trials() <= MAX_TRIALS, o.trials() + " trials");
        }
    }

    @Test
    void topFitsInOneTrial() {
        int[] calls = {0};
        RateController.Outcome o = RateController.largestFitting(1, 256, 1_000_000, files(monotone(), calls)).orElseThrow();
        assertEquals(256, o.level());
        assertEquals(1, o.trials());
    }

    @Test
    void nothingFitsIsEmpty() {
        int[] calls = {0};
        assertEquals(Optional.empty(), RateController.largestFitting(1, 256, 109, files(monotone(), calls)));
        assertEquals(2, calls[0]);
        assertEquals(Optional.empty(), RateController.largestFitting(5, 5, 10, files(monotone(), calls)));
    }

    @Test
    void singleLevelRange() {
        int[] calls = {0};
        assertEquals(5, RateController.largestFitting(5, 5, 150, files(monotone(), calls)).orElseThrow().level());
        assertThrows(IllegalArgumentException.class, () -> RateController.largestFitting(6, 5, 150, level -> new byte[1]));
    }

    @Test
    void noisySizesNeverOvershootAndStayBounded() {
        SplittableRandom random = new SplittableRandom(42);
        for (int curve = 0; curve < 200; curve++) {
            int[] sizes = new int[257];
            for (int k = 1; k <= 256; k++) {
                // rising trend with local bumps and dips of up to ±8 %, like palette files
                sizes[k] = (int) ((300 + 12 * k) * (0.92 + 0.16 * random.nextDouble()));
            }
            long budget = 200 + random.nextInt(3500);
            int[] calls = {0};
            Optional<RateController.Outcome> o = RateController.largestFitting(1, 256, budget, files(sizes, calls));
            assertTrue(calls[0] <= MAX_TRIALS, calls[0] + " trials");
            if (sizes[1] > budget && sizes[256] > budget) {
                assertTrue(o.isEmpty());
                continue;
            }
            if (o.isPresent()) {
                int level = o.get().level();
                assertTrue(o.get().bytes().length <= budget, "overshoot: " + o.get().bytes().length + " > " + budget);
                assertEquals(sizes[level], o.get().bytes().length);
                assertEquals((byte) level, o.get().bytes()[0]);
            } else {
                assertTrue(sizes[1] > budget, "empty although level 1 fits");
            }
        }
    }
}
