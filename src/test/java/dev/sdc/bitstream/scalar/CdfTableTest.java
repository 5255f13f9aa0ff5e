package dev.sdc.bitstream.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CdfTableTest {
    @Test
    void symbolsIntervalsAndSearchAgree() {
        CdfTable t = CdfTable.of(-2, new int[] {1, 2, 250, 2, 1}, 8);
        assertEquals(4, t.symbols());
        assertEquals(0, t.symbolOf(-2));
        assertEquals(3, t.symbolOf(1));
        assertEquals(4, t.symbolOf(2), "out of range: escape");
        assertEquals(4, t.symbolOf(-3), "out of range: escape");
        for (int s = 0; s <= 4; s++) {
            for (int v = t.cumLow(s); v < t.cumLow(s) + t.freq(s); v++) {
                assertEquals(s, t.find(v));
            }
        }
        assertEquals(8 - Math.log(250) / Math.log(2), t.bits(2), 1e-12);
    }

    @Test
    void invalidTablesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> CdfTable.of(0, new int[] {128, 127}, 8), "sum short");
        assertThrows(IllegalArgumentException.class, () -> CdfTable.of(0, new int[] {128, 129}, 8), "sum over");
        assertThrows(IllegalArgumentException.class, () -> CdfTable.of(0, new int[] {256, 0}, 8), "zero escape");
        assertThrows(IllegalArgumentException.class, () -> CdfTable.of(0, new int[] {0, 256}, 8), "zero symbol");
        assertThrows(IllegalArgumentException.class, () -> CdfTable.of(0, new int[] {-1, 257}, 8), "negative");
        assertThrows(IllegalArgumentException.class, () -> CdfTable.of(0, new int[] {256}, 8), "no symbol");
        assertThrows(IllegalArgumentException.class, () -> CdfTable.of(0, new int[] {1, 1}, 17), "precision");
        assertThrows(IllegalArgumentException.class,
                () -> CdfTable.of(ScalarLatentCoder.MAX_ABS, new int[] {1, 1, 254}, 8), "range beyond the bound");
        assertThrows(IllegalArgumentException.class,
                () -> CdfTable.of(0, new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 2}, 8), "overflowing sum");
    }
}
