package dev.sdc.bitstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;

class IndexCoderTest {
    private static void roundTrip(int w, int h, int n, IntBinaryOperator gen) {
        int[] idx = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                idx[y * w + x] = gen.applyAsInt(x, y);
            }
        }
        byte[] coded = IndexCoder.encode(idx, w, h, n);
        assertEquals(0, coded[0], "first byte of a stream is always 0");
        int[] back = IndexCoder.decode(coded, 0, coded.length, w, h, n);
        assertArrayEquals(idx, back, () -> "round trip " + w + "x" + h + " N=" + n);
    }

    @Test
    void randomStreamsOfManySizesAndPaletteSizes() {
        Random rnd = new Random(1);
        int[][] sizes = {{1, 1}, {1, 7}, {7, 1}, {2, 2}, {3, 5}, {17, 13}, {64, 96}, {300, 200}};
        int[] palettes = {1, 2, 3, 5, 16, 17, 100, 255, 256};
        for (int[] s : sizes) {
            for (int n : palettes) {
                roundTrip(s[0], s[1], n, (x, y) -> rnd.nextInt(n));
            }
        }
    }

    @Test
    void degenerateStreams() {
        for (int n : new int[] {1, 2, 256}) {
            roundTrip(300, 200, n, (x, y) -> 0);
            roundTrip(300, 200, n, (x, y) -> n - 1);
            roundTrip(300, 200, n, (x, y) -> (x + y) % 2 == 0 ? 0 : n - 1);
            roundTrip(300, 200, n, (x, y) -> ((y * 300 + x) / 997) % n);
        }
    }

    @Test
    void skewedStreamsExerciseCarries() {
        // Long runs of one symbol push probabilities to their extremes, so many 0xFF bytes and carries occur.
        Random rnd = new Random(2);
        for (int t = 0; t < 20; t++) {
            int n = 1 + rnd.nextInt(256);
            double pOther = Math.pow(10, -1 - 3 * rnd.nextDouble());
            int common = rnd.nextInt(n);
            roundTrip(150, 120, n, (x, y) -> rnd.nextDouble() < pOther ? rnd.nextInt(n) : common);
        }
    }

    @Test
    void onePaletteEntryCodesToFiveZeroBytes() {
        byte[] coded = IndexCoder.encode(new int[300 * 200], 300, 200, 1);
        assertArrayEquals(new byte[5], coded);
    }

    @Test
    void constantStreamIsTiny() {
        // With shift 4 a probability saturates at 2033/2048, about 0.0106 bits per binary decision:
        // 60,000 indices x 8 decisions ~ 636 bytes, versus 60,000 bytes raw.
        byte[] coded = IndexCoder.encode(new int[300 * 200], 300, 200, 256);
        assertTrue(coded.length < 700, "constant 60000-index stream took " + coded.length + " bytes");
    }

    @Test
    void smoothStreamBeatsEightBitsPerIndex() {
        var p = SyntheticPaletteLatent.generate(7, 96, 64, 4, 256);
        byte[] coded = IndexCoder.encode(p.indices(), 96, 64, 256);
        assertTrue(coded.length < 96 * 64, "coded " + coded.length);
        assertArrayEquals(p.indices(), IndexCoder.decode(coded, 0, coded.length, 96, 64, 256));
    }

    @Test
    void bitsForPaletteSize() {
        assertEquals(0, IndexCoder.bitsFor(1));
        assertEquals(1, IndexCoder.bitsFor(2));
        assertEquals(2, IndexCoder.bitsFor(3));
        assertEquals(8, IndexCoder.bitsFor(129));
        assertEquals(8, IndexCoder.bitsFor(256));
    }

    @Test
    void streamMustBeConsumedExactly() {
        int[] idx = new int[40 * 30];
        Random rnd = new Random(3);
        Arrays.setAll(idx, i -> rnd.nextInt(50));
        byte[] coded = IndexCoder.encode(idx, 40, 30, 50);
        byte[] longer = Arrays.copyOf(coded, coded.length + 1);
        assertThrows(FormatException.class, () -> IndexCoder.decode(longer, 0, longer.length, 40, 30, 50));
        assertThrows(FormatException.class, () -> IndexCoder.decode(coded, 0, coded.length - 1, 40, 30, 50));
        assertThrows(FormatException.class, () -> IndexCoder.decode(coded, 0, 4, 40, 30, 50));
    }

    @Test
    void garbageThrowsOnlyFormatException() {
        Random rnd = new Random(4);
        int accepted = 0;
        for (int t = 0; t < 3000; t++) {
            byte[] junk = new byte[5 + rnd.nextInt(200)];
            rnd.nextBytes(junk);
            if (rnd.nextBoolean()) {
                junk[0] = 0;
            }
            int n = 1 + rnd.nextInt(256);
            int w = 1 + rnd.nextInt(40), h = 1 + rnd.nextInt(40);
            try {
                int[] idx = IndexCoder.decode(junk, 0, junk.length, w, h, n);
                for (int i : idx) {
                    assertTrue(i >= 0 && i < n);
                }
                accepted++;
            } catch (FormatException expected) {
                // the only allowed failure
            }
        }
        assertTrue(accepted < 30, "garbage accepted " + accepted + " times");
    }
}
