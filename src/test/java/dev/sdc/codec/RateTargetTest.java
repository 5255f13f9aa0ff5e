package dev.sdc.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

class RateTargetTest {
    @ParameterizedTest
    @CsvSource({
            "4000, 4000", "4000B, 4000", "4000 B, 4000", "4000b, 4000", "1, 1",
            "4kB, 4000", "4k, 4000", "4KB, 4000", "4kb, 4000", "2.5kB, 2500", "0.0015kB, 1",
            "4KiB, 4096", "4kib, 4096", "4KIB, 4096", "4MIB, 4194304", "1.5KiB, 1536",
            "1MB, 1000000", "1MiB, 1048576", "1.0001B, 1", "  12  , 12"})
    void parsesSizes(String text, long bytes) {
        RateTarget t = RateTarget.parseSize(text);
        assertFalse(t.isBitsPerPixel());
        assertEquals(bytes, t.budgetBytes(10, 10));
        assertEquals(bytes, t.budgetBytes(5000, 5000), "a byte target does not depend on the image size");
        assertEquals(RateTarget.bytes(bytes), t);
        assertEquals(bytes + " B", t.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "k", "kB", "-4", "4 kB x", "4Ki", "4iB", "4GB", "0", "0.5", "0kB", "1e3",
            "4.kB", ".5kB", "4,5kB", "2000000000000000kB", "NaN", "abc"})
    void rejectsBadSizes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RateTarget.parseSize(text));
        assertTrue(e.getMessage().contains(text.strip().isEmpty() ? "size" : text), e.getMessage());
    }

    @Test
    void rejectsNullSize() {
        assertThrows(IllegalArgumentException.class, () -> RateTarget.parseSize(null));
    }

    @Test
    void bitsPerPixelBudgetRoundsDown() {
        RateTarget t = RateTarget.parseBitsPerPixel("0.1");
        assertTrue(t.isBitsPerPixel());
        assertEquals(4915, t.budgetBytes(768, 512)); // 39321.6 bits
        assertEquals(300, t.budgetBytes(200, 120)); // exactly 2400 bits
        assertEquals(0, t.budgetBytes(1, 1));
        assertEquals("0.1 bpp", t.toString());
        assertEquals(RateTarget.bitsPerPixel(0.1), t);
        assertEquals("0.125 bpp", RateTarget.bitsPerPixel(0.125).toString());
        for (String same : new String[] {"0.10", "1e-1", ".1", " 0.1 ", "1E-1", "+0.1", "+.1"}) {
            assertEquals(t, RateTarget.parseBitsPerPixel(same), same);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0.1", "65", "NaN", "Infinity", "x", "", "0.1f", "0.1d", "0x1p-3", "1e", "."})
    void rejectsBadBitsPerPixel(String text) {
        assertThrows(IllegalArgumentException.class, () -> RateTarget.parseBitsPerPixel(text));
    }

    @Test
    void rejectsBadImageSizeAndByteCounts() {
        assertThrows(IllegalArgumentException.class, () -> RateTarget.bytes(0));
        assertThrows(IllegalArgumentException.class, () -> RateTarget.bytes(RateTarget.MAX_BYTES + 1));
        assertThrows(IllegalArgumentException.class, () -> RateTarget.bytes(100).budgetBytes(0, 5));
    }
}
