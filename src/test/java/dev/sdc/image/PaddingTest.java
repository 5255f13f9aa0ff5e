package dev.sdc.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PaddingTest {
    @Test
    void alignUpRoundsToMultiples() {
        assertEquals(64, Padding.alignUp(64, 8));
        assertEquals(72, Padding.alignUp(65, 8));
        assertEquals(64, Padding.alignUp(37, 64));
        assertEquals(1024, Padding.alignUp(1001, 64));
    }

    @Test
    void padReplicatesEdgesAndCropRestores() {
        RgbImage img = RgbImage.blank(37, 5);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 37; x++) {
                img.set(x, y, 0, x);
                img.set(x, y, 1, y);
                img.set(x, y, 2, x ^ y);
            }
        }
        RgbImage padded = Padding.padToMultiple(img, 8);
        assertEquals(40, padded.width());
        assertEquals(8, padded.height());
        assertEquals(36, padded.get(39, 2, 0));
        assertEquals(4, padded.get(10, 7, 1));
        assertEquals(36 ^ 4, padded.get(39, 7, 2));
        assertArrayEquals(img.rgb(), Padding.crop(padded, 37, 5).rgb());
    }

    @Test
    void alignedImageIsReturnedAsIs() {
        RgbImage img = RgbImage.blank(16, 8);
        assertSame(img, Padding.padToMultiple(img, 8));
    }
}
