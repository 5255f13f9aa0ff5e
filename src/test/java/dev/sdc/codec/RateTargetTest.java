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
            "1MB, 1000000", "1MiB, 1048576", "1.0001B, 1", "  12  , 12",
            // exact: in doubles these were one byte under (1000.9999... floored)
            "1.001kB, 1001", "1.005kB, 1005", "4.1MB, 4100000", "8.2MB, 8200000"})
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

    /** ⌊bpp · w · h / 8⌋ on the decimal as written: in doubles 0.036 · 100 · 100 / 8 was 44.999… (44 B, not 45). */
    @ParameterizedTest
    @CsvSource({"0.036, 100, 100, 45", "0.940, 10, 40, 47", "0.1, 768, 512, 4915", "64, 16384, 16384, 2147483648"})
    void bitsPerPixelBudgetIsExact(String bpp, int w, int h, long bytes) {
        assertEquals(bytes, RateTarget.parseBitsPerPixel(bpp).budgetBytes(w, h));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0.1", "65", "NaN", "Infinity", "x", "", "0.1f", "0.1d", "0x1p-3", "1e", ".", "1e400", "-1"})
    void rejectsBadBitsPerPixel(String text) {
        assertThrows(IllegalArgumentException.class, () -> RateTarget.parseBitsPerPixel(text));
    }

    /** A number out of range says so; only what is not a number is called one. */
    @Test
    void badBitsPerPixelMessages() {
        assertEquals("bits per pixel must be > 0 and <= 64, got -1",
                assertThrows(IllegalArgumentException.class, () -> RateTarget.parseBitsPerPixel("-1")).getMessage());
        assertEquals("bits per pixel must be > 0 and <= 64, got 1e400",
                assertThrows(IllegalArgumentException.class, () -> RateTarget.parseBitsPerPixel("1e400")).getMessage());
        assertEquals("bits per pixel 'NaN' is not a number (e.g. 0.1)",
                assertThrows(IllegalArgumentException.class, () -> RateTarget.parseBitsPerPixel("NaN")).getMessage());
        assertEquals("0.0000001 bpp", RateTarget.bitsPerPixel(1e-7).toString(), "not \"0 bpp\"");
    }

    @Test
    void rejectsBadImageSizeAndByteCounts() {
        assertThrows(IllegalArgumentException.class, () -> RateTarget.bytes(0));
        assertThrows(IllegalArgumentException.class, () -> RateTarget.bytes(RateTarget.MAX_BYTES + 1));
        assertThrows(IllegalArgumentException.class, () -> RateTarget.bytes(100).budgetBytes(0, 5));
    }
}
