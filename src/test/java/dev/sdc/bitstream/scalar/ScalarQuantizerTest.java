package dev.sdc.bitstream.scalar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ScalarQuantizerTest {
    private static final PriorLevel LEVEL = new PriorLevel(new float[] {0.1f, 0.25f}, 10,
            TestModels.model(2, new int[] {1}, 8, 16));

    @Test
    void effectiveStepsScaleByTheRateFactor() {
        assertArrayEquals(new float[] {0.1f, 0.25f}, ScalarQuantizer.effectiveSteps(LEVEL, 4096));
        assertArrayEquals(new float[] {0.2f, 0.5f}, ScalarQuantizer.effectiveSteps(LEVEL, 8192));
        assertArrayEquals(new float[] {0.1f * (1f / 4096), 0.25f * (1f / 4096)},
                ScalarQuantizer.effectiveSteps(LEVEL, 1));
        assertThrows(IllegalArgumentException.class, () -> ScalarQuantizer.effectiveSteps(LEVEL, 0));
        assertThrows(IllegalArgumentException.class, () -> ScalarQuantizer.effectiveSteps(LEVEL, 65536));
    }

    @Test
    void roundingIsHalfAwayFromZeroAndClamped() {
        float[][][] z = {{{0.05f, -0.05f, 0.149f, -0.151f, 1e30f, -1e30f}}};
        int[][][] q = ScalarQuantizer.quantize(z, new float[] {0.1f});
        int max = ScalarLatentCoder.MAX_ABS;
        // 0.05f / 0.1f is just above 0.5 in double: rounds away from zero either way
        assertArrayEquals(new int[] {1, -1, 1, -2, max, -max}, q[0][0]);
        assertThrows(IllegalArgumentException.class,
                () -> ScalarQuantizer.quantize(new float[][][] {{{Float.NaN}}}, new float[] {0.1f}));
    }

    @Test
    void dequantisationErrorIsAtMostHalfAStepAndClamped() {
        Random rnd = new Random(1);
        float[] steps = ScalarQuantizer.effectiveSteps(LEVEL, 3000);
        float[][][] z = new float[2][7][9];
        for (float[][] plane : z) {
            for (float[] row : plane) {
                for (int x = 0; x < row.length; x++) {
                    row[x] = rnd.nextFloat() * 2 - 1;
                }
            }
        }
        float[][][] back = ScalarQuantizer.dequantize(ScalarQuantizer.quantize(z, steps), steps, -1f, 1f);
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 7; y++) {
                for (int x = 0; x < 9; x++) {
                    assertTrue(Math.abs(back[c][y][x] - z[c][y][x]) <= steps[c] / 2 + 1e-6f);
                    assertTrue(back[c][y][x] >= -1f && back[c][y][x] <= 1f);
                }
            }
        }
        assertEquals(1f, ScalarQuantizer.dequantize(new int[][][] {{{99}}, {{0}}}, steps, -1f, 1f)[0][0][0]);
    }
}
