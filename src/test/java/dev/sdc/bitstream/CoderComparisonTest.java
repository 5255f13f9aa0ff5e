package dev.sdc.bitstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdc.latent.PaletteLatent;
import org.junit.jupiter.api.Test;

class CoderComparisonTest {
    @Test
    void reportsBothSizes() {
        PaletteLatent p = SyntheticPaletteLatent.generate(3, 48, 32, 4, 64);
        CoderComparison.Sizes s = CoderComparison.compare(p);
        int coded = IndexCoder.encode(p.indices(), 48, 32, 64).length;
        assertEquals(64 * 4 + coded, s.sdcBytes());
        assertTrue(s.zlibBytes() > 0 && s.zlibBytes() < 64 * 4 + 48 * 32 + 100, "zlib " + s.zlibBytes());
    }
}
