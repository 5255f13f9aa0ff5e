package dev.sdc.eval.baseline;

import dev.sdc.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResampleTest {
    private static RgbImage flat(int w, int h, int r, int g, int b) {
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.set(x, y, 0, r);
                img.set(x, y, 1, g);
                img.set(x, y, 2, b);
            }
        }
        return img;
    }

    private static RgbImage noise(int w, int h, long seed) {
        byte[] rgb = new byte[3 * w * h];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }

    @Test
    void resizesToTheRequestedSizeIncludingOddSides() {
        RgbImage src = noise(37, 21, 1);
        for (Resample.Filter f : Resample.Filter.values()) {
            RgbImage half = Resample.resize(src, 19, 11, f);
            assertEquals(19, half.width(), f.label());
            assertEquals(11, half.height(), f.label());
            RgbImage back = Resample.resize(half, 37, 21, f);
            assertEquals(37, back.width(), f.label());
            assertEquals(21, back.height(), f.label());
        }
        RgbImage tiny = Resample.resize(src, 1, 1, Resample.Filter.LANCZOS3);
        assertEquals(1, tiny.width());
        assertThrows(IllegalArgumentException.class, () -> Resample.resize(src, 0, 4, Resample.Filter.BOX));
    }

    @Test
    void aFlatImageStaysFlatBothWaysWithEveryFilter() {
        for (int[] c : new int[][] {{0, 0, 0}, {255, 255, 255}, {17, 128, 254}, {201, 3, 77}}) {
            RgbImage src = flat(33, 17, c[0], c[1], c[2]);
            for (Resample.Filter f : Resample.Filter.values()) {
                RgbImage down = Resample.resize(src, 17, 9, f);
                RgbImage up = Resample.resize(down, 33, 17, f);
                assertArrayEquals(flat(17, 9, c[0], c[1], c[2]).rgb(), down.rgb(), f.label());
                assertArrayEquals(src.rgb(), up.rgb(), f.label());
            }
        }
    }

    @Test
    void boxHalvingIsThePlain2x2Mean() {
        RgbImage src = noise(8, 6, 2);
        RgbImage half = Resample.resize(src, 4, 3, Resample.Filter.BOX);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = src.get(2 * x, 2 * y, c) + src.get(2 * x + 1, 2 * y, c)
                            + src.get(2 * x, 2 * y + 1, c) + src.get(2 * x + 1, 2 * y + 1, c);
                    assertEquals(Math.round(sum / 4f), half.get(x, y, c), x + "," + y + "," + c);
                }
            }
        }
    }

    @Test
    void sameSizeIsACopy() {
        RgbImage src = noise(5, 4, 3);
        RgbImage same = Resample.resize(src, 5, 4, Resample.Filter.LANCZOS3);
        assertArrayEquals(src.rgb(), same.rgb());
        assertNotSame(src.rgb(), same.rgb(), "a copy, not the same buffer");
    }

    @Test
    void lanczosRoundTripOfASmoothImageIsClose() {
        // A smooth gradient is band-limited: halving and doubling it with Lanczos-3 changes it by at most 1.
        RgbImage src = RgbImage.blank(64, 48);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                src.set(x, y, 0, 40 + 2 * x);
                src.set(x, y, 1, 60 + 3 * y);
                src.set(x, y, 2, 128 + (int) Math.round(40 * Math.sin(x / 9.0) * Math.cos(y / 7.0)));
            }
        }
        RgbImage back = Resample.resize(Resample.resize(src, 32, 24, Resample.Filter.LANCZOS3), 64, 48,
                Resample.Filter.LANCZOS3);
        int worst = 0;
        for (int y = 3; y < 45; y++) { // away from the repeated edges
            for (int x = 3; x < 61; x++) {
                for (int c = 0; c < 3; c++) {
                    worst = Math.max(worst, Math.abs(src.get(x, y, c) - back.get(x, y, c)));
                }
            }
        }
        assertTrue(worst <= 1, "largest interior error " + worst);
    }
}
