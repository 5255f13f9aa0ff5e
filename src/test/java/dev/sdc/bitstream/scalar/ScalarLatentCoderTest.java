package dev.sdc.bitstream.scalar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdc.bitstream.FormatException;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class ScalarLatentCoderTest {
    private static final ContextModel MODEL = TestModels.standard();

    private static int[][][] fill(int c, int h, int w, IntUnaryOperator valueOfIndex) {
        int[][][] q = new int[c][h][w];
        int i = 0;
        for (int[][] plane : q) {
            for (int[] row : plane) {
                for (int x = 0; x < w; x++) {
                    row[x] = valueOfIndex.applyAsInt(i++);
                }
            }
        }
        return q;
    }

    private static byte[] roundTrip(int[][][] q, ContextModel model) {
        byte[] coded = ScalarLatentCoder.encode(q, model);
        assertEquals(0, coded[0], "first byte of a stream is always 0");
        int[][][] back = ScalarLatentCoder.decode(coded, 0, coded.length, q.length, q[0].length, q[0][0].length,
                model);
        for (int c = 0; c < q.length; c++) {
            for (int y = 0; y < q[0].length; y++) {
                assertArrayEquals(q[c][y], back[c][y], "channel " + c + " row " + y);
            }
        }
        assertArrayEquals(coded, ScalarLatentCoder.encode(q, model), "encoding is deterministic");
        return coded;
    }

    @Test
    void randomLatentsOfManyShapesRoundTrip() {
        Random rnd = new Random(7);
        int[][] shapes = {{1, 1}, {1, 9}, {9, 1}, {2, 3}, {17, 13}, {64, 48}};
        double[] scales = {0.05, 0.7, 3, 40};
        for (int[] s : shapes) {
            for (double b : scales) {
                roundTrip(TestModels.laplaceLatent(rnd, 4, s[0], s[1], b), MODEL);
            }
        }
    }

    @Test
    void adversarialLatentsRoundTrip() {
        int max = ScalarLatentCoder.MAX_ABS;
        roundTrip(fill(4, 32, 32, i -> 0), MODEL);
        roundTrip(fill(4, 16, 16, i -> max), MODEL);
        roundTrip(fill(4, 16, 16, i -> -max), MODEL);
        roundTrip(fill(4, 16, 16, i -> i % 2 == 0 ? max : -max), MODEL);
        roundTrip(fill(4, 16, 16, i -> i % 2 == 0 ? 16 : -16), MODEL); // escapes just outside the range
        roundTrip(fill(4, 16, 16, i -> i % 3 == 0 ? 15 : -15), MODEL); // range edges, no escape
        roundTrip(fill(4, 1, 1, i -> 12345), MODEL);
        roundTrip(fill(4, 1, 1, i -> 0), MODEL);
        Random rnd = new Random(3);
        roundTrip(fill(4, 20, 20, i -> rnd.nextInt(2 * max + 1) - max), MODEL);
    }

    @Test
    void singleSymbolAndLowPrecisionTablesRoundTrip() {
        // one in-range value with escape frequency 1: every other value escapes
        CdfTable one = CdfTable.of(0, new int[] {255, 1}, 8);
        ContextModel m = new ContextModel(new int[0], new CdfTable[][] {{one}});
        Random rnd = new Random(5);
        roundTrip(fill(1, 10, 10, i -> rnd.nextInt(5) == 0 ? rnd.nextInt(9) - 4 : 0), m);
        roundTrip(fill(1, 10, 10, i -> -3), m);
    }

    @Test
    void valuesBeyondTheBoundAreRejectedByTheEncoder() {
        int[][][] q = fill(4, 2, 2, i -> 0);
        q[2][1][1] = ScalarLatentCoder.MAX_ABS + 1;
        assertThrows(IllegalArgumentException.class, () -> ScalarLatentCoder.encode(q, MODEL));
    }

    @Test
    void codedSizeIsWithinASmallOverheadOfTheIdealLength() {
        Random rnd = new Random(11);
        for (double b : new double[] {0.05, 0.5, 2, 6, 30}) {
            int[][][] q = TestModels.laplaceLatent(rnd, 4, 64, 96, b);
            double ideal = ScalarLatentCoder.idealBits(q, MODEL);
            long actual = 8L * ScalarLatentCoder.encode(q, MODEL).length;
            // 5 flush bytes plus the split's truncation (≤ 2^-8 relative per symbol) plus rounding
            assertTrue(actual <= ideal * 1.002 + 48, () -> "scale " + b + ": " + actual + " vs ideal " + ideal);
            assertTrue(actual >= ideal - 8, () -> "scale " + b + ": " + actual + " below ideal " + ideal);
        }
    }

    @Test
    void everyTruncationIsAFormatError() {
        int[][][] q = TestModels.laplaceLatent(new Random(2), 4, 12, 10, 2);
        byte[] coded = ScalarLatentCoder.encode(q, MODEL);
        for (int len = 0; len < coded.length; len++) {
            int n = len;
            assertThrows(FormatException.class,
                    () -> ScalarLatentCoder.decode(coded, 0, n, 4, 12, 10, MODEL), "length " + len);
        }
        byte[] longer = java.util.Arrays.copyOf(coded, coded.length + 1);
        assertThrows(FormatException.class,
                () -> ScalarLatentCoder.decode(longer, 0, longer.length, 4, 12, 10, MODEL));
    }

    @Test
    void corruptStreamsGiveOnlyFormatErrorsOrOtherValidLatents() {
        Random rnd = new Random(9);
        int[][][] q = TestModels.laplaceLatent(rnd, 4, 12, 10, 3);
        q[1][3][3] = 400; // an escape inside, so flips can hit escape codes
        byte[] coded = ScalarLatentCoder.encode(q, MODEL);
        int failures = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] bad = coded.clone();
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            try {
                int[][][] back = ScalarLatentCoder.decode(bad, 0, bad.length, 4, 12, 10, MODEL);
                for (int[][] plane : back) {
                    for (int[] row : plane) {
                        for (int v : row) {
                            assertTrue(Math.abs(v) <= ScalarLatentCoder.MAX_ABS);
                        }
                    }
                }
            } catch (FormatException e) {
                failures++;
            }
        }
        assertTrue(failures > 2000, "most corruptions are detected by the end condition: " + failures);
    }

    @Test
    void randomBytesNeverCrashTheDecoder() {
        Random rnd = new Random(13);
        ContextModel wide = TestModels.model(2, new int[] {1, 3}, 200, 16);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] junk = new byte[5 + rnd.nextInt(60)];
            rnd.nextBytes(junk);
            junk[0] = 0;
            try {
                ScalarLatentCoder.decode(junk, 0, junk.length, 2, 1 + rnd.nextInt(9), 1 + rnd.nextInt(9), wide);
            } catch (FormatException e) {
                // expected for nearly all inputs
            }
        }
    }

    @Test
    void contextsSplitOnTheNeighbourMagnitude() {
        assertEquals(0, MODEL.context(0));
        assertEquals(1, MODEL.context(1));
        assertEquals(2, MODEL.context(3));
        assertEquals(3, MODEL.context(4));
        assertEquals(4, MODEL.context(2 * ScalarLatentCoder.MAX_ABS));
    }
}
