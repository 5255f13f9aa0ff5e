package dev.sdc.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DdimScheduleTest {
    /*
     * Reference values computed with /usr/bin/python3 (numpy, float64):
     *   b = np.linspace(0.00085**0.5, 0.012**0.5, 1000)**2; ac = np.cumprod(1 - b)      (scaled_linear)
     *   bl = np.linspace(0.0001, 0.02, 1000); acl = np.cumprod(1 - bl)                  (linear)
     */
    private static final DdimSchedule SD = DdimSchedule.of("scaled_linear", 0.00085, 0.012, 1000);

    @Test
    void scaledLinearMatchesNumpy() {
        assertEquals(0.99915, SD.alphaCumprod(0), 1e-15);
        assertEquals(0.9850089646614799, SD.alphaCumprod(16), 1e-14);
        assertEquals(0.981314362200552, SD.alphaCumprod(20), 1e-14);
        assertEquals(0.9618859080011765, SD.alphaCumprod(40), 1e-14);
        assertEquals(0.004660098513077238, SD.alphaCumprod(999), 1e-15);
        assertEquals(1000, SD.trainSteps());
    }

    @Test
    void linearMatchesNumpy() {
        DdimSchedule lin = DdimSchedule.of("linear", 0.0001, 0.02, 1000);
        assertEquals(0.9999, lin.alphaCumprod(0), 1e-15);
        assertEquals(0.07779665836502389, lin.alphaCumprod(500), 1e-14);
        assertEquals(4.035829765375676e-05, lin.alphaCumprod(999), 1e-17);
    }

    @Test
    void timestepsFollowDocsFormula() {
        // t_k = round_half_up(s*T*(K-k)/K), k = 0..K-1, clamped to T-1, zeros and repeats dropped
        // (checked by hand and with a Python transcription of the same rule).
        assertArrayEquals(new int[] {40, 20}, SD.timesteps(0.04f, 2));
        assertArrayEquals(new int[] {16, 8}, SD.timesteps(0.016f, 2));
        assertArrayEquals(new int[] {40, 27, 13}, SD.timesteps(0.04f, 3));
        assertArrayEquals(new int[] {999, 750, 500, 250}, SD.timesteps(1.0f, 4));
        assertArrayEquals(new int[] {3, 2, 1}, SD.timesteps(0.003f, 10));
        assertArrayEquals(new int[0], SD.timesteps(0f, 5));
        assertArrayEquals(new int[0], SD.timesteps(0.04f, 0));
        assertArrayEquals(new int[0], SD.timesteps(0.0004f, 1));
        assertThrows(IllegalArgumentException.class, () -> SD.timesteps(1.5f, 2));
        assertThrows(IllegalArgumentException.class, () -> SD.timesteps(0.1f, -1));
    }

    @Test
    void ddimStepUsesNextTimestepThenClean() {
        DdimSchedule.Step s = SD.step(40, 20);
        assertEquals(Math.sqrt(0.9618859080011765), s.sqrtA(), 1e-14);
        assertEquals(Math.sqrt(1 - 0.9618859080011765), s.sqrtOneMinusA(), 1e-14);
        assertEquals(Math.sqrt(0.981314362200552), s.sqrtAPrev(), 1e-14);
        DdimSchedule.Step last = SD.step(20, -1);
        assertEquals(1.0, last.sqrtAPrev());
        assertEquals(0.0, last.sqrtOneMinusAPrev());

        // With eps = 0 the last step returns x0 = x / sqrt(abar_t).
        float[] x = {1f, -2f};
        last.apply(x, new float[] {0f, 0f});
        assertEquals((float) (1 / Math.sqrt(0.981314362200552)), x[0], 0f);
        assertEquals((float) (-2 / Math.sqrt(0.981314362200552)), x[1], 0f);

        // A step to the same abar with consistent eps is the identity (x -> x0 -> x).
        DdimSchedule.Step same = SD.step(16, 16);
        float[] y = {0.3f};
        same.apply(y, new float[] {0.7f});
        assertEquals(0.3f, y[0], 1e-6f);
    }

    @Test
    void bundleScheduleIsTheSdSchedule() {
        assertEquals(SD.alphaCumprod(16), Bundle.load(TestBundles.TEST).schedule().alphaCumprod(16));
    }
}
