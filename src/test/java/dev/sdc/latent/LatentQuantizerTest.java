package dev.sdc.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdc.model.Latent;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatentQuantizerTest {
    private static final float SD_MAX = 23.2241f;
    private final LatentQuantizer q = new LatentQuantizer(-SD_MAX, SD_MAX);

    @Test
    void endpointsMapToCodes0And255AndBack() {
        assertEquals(0, q.code(-SD_MAX));
        assertEquals(255, q.code(SD_MAX));
        assertEquals(-SD_MAX, q.value(0));
        assertEquals(SD_MAX, q.value(255));
    }

    @Test
    void roundTripErrorIsAtMostHalfAStepInsideTheRange() {
        float step = 2 * SD_MAX / 255;
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            float z = (float) (-SD_MAX + r.nextDouble() * 2 * SD_MAX);
            float back = q.value(q.code(z));
            assertTrue(Math.abs(back - z) <= step / 2 * 1.0001f, () -> z + " -> " + back);
        }
    }

    @Test
    void valuesOutsideTheRangeClamp() {
        assertEquals(0, q.code(-1e30f));
        assertEquals(0, q.code(-SD_MAX - 5));
        assertEquals(255, q.code(SD_MAX + 5));
        assertEquals(255, q.code(Float.POSITIVE_INFINITY));
        assertEquals(0, q.code(Float.NEGATIVE_INFINITY));
        assertEquals(0, q.code(Float.NaN));
        assertEquals(0f, q.position(-100f));
        assertEquals(255f, q.position(100f));
    }

    @Test
    void codeIsMonotone() {
        int previous = 0;
        for (float z = -30f; z <= 30f; z += 0.001f) {
            int c = q.code(z);
            assertTrue(c >= previous, "not monotone at " + z);
            assertTrue(c >= 0 && c <= 255);
            previous = c;
        }
        assertEquals(255, previous);
    }

    @Test
    void codeFollowsTheFormula() {
        LatentQuantizer unit = new LatentQuantizer(-1f, 1f);
        assertEquals(128, unit.code(0f)); // 127.5 rounds up
        assertEquals(64, unit.code(-0.5f)); // 63.75
        assertEquals(191, unit.code(0.5f)); // 191.25
        assertEquals(-1f + 2f * 100 / 255, unit.value(100), 1e-6f);
    }

    @Test
    void wholeLatentRoundTripIsPlanarToInterleavedAndBack() {
        int c = 3, h = 2, w = 5;
        float[] data = new float[c * h * w];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (r.nextDouble() * 40 - 20);
        }
        Latent latent = new Latent(c, h, w, data);
        int[] codes = q.codes(latent);
        assertEquals(c * h * w, codes.length);
        // pixel (y=1, x=3), channel 2 sits at [pixel*C + c]
        assertEquals(q.code(latent.get(2, 1, 3)), codes[(1 * w + 3) * c + 2]);
        float[] positions = q.positions(latent);
        assertEquals(q.position(latent.get(1, 0, 4)), positions[4 * c + 1]);

        Latent back = q.latent(codes, c, h, w);
        assertEquals(c, back.channels());
        assertEquals(h, back.height());
        assertEquals(w, back.width());
        assertArrayEquals(codes, q.codes(back));
        for (int i = 0; i < data.length; i++) {
            assertEquals(data[i], back.data()[i], SD_MAX / 255 * 1.0001f);
        }
    }

    @Test
    void rejectsBadRangesAndCodes() {
        assertThrows(IllegalArgumentException.class, () -> new LatentQuantizer(1f, 1f));
        assertThrows(IllegalArgumentException.class, () -> new LatentQuantizer(2f, 1f));
        assertThrows(IllegalArgumentException.class, () -> new LatentQuantizer(Float.NaN, 1f));
        assertThrows(IllegalArgumentException.class, () -> new LatentQuantizer(0f, Float.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> q.value(256));
        assertThrows(IllegalArgumentException.class, () -> q.value(-1));
    }
}
