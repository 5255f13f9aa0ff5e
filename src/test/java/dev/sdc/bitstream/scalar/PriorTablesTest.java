package dev.sdc.bitstream.scalar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdc.model.ModelException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class PriorTablesTest {
    private static PriorTables sample() {
        ContextModel a = TestModels.model(4, new int[] {1, 3}, 20, 16);
        ContextModel b = TestModels.model(4, new int[] {1, 3}, 5, 16);
        return new PriorTables(List.of( // coarse to fine, as a reader requires
                new PriorLevel(new float[] {0.2f, 0.3f, 0.4f, 0.5f}, 150, b),
                new PriorLevel(new float[] {0.02f, 0.03f, 0.04f, 0.05f}, 12, a)));
    }

    /** Replaces the trailing CRC so a test reaches the field checks behind it. */
    private static byte[] withCrc(byte[] d) {
        CRC32 crc = new CRC32();
        crc.update(d, 0, d.length - 4);
        ByteBuffer.wrap(d).putInt(d.length - 4, (int) crc.getValue());
        return d;
    }

    @Test
    void bytesRoundTrip() {
        byte[] bytes = sample().toBytes();
        PriorTables back = PriorTables.parse(bytes, "prior.bin");
        assertEquals(2, back.levels());
        assertEquals(4, back.channels());
        assertArrayEquals(new float[] {0.2f, 0.3f, 0.4f, 0.5f}, back.level(0).steps());
        assertEquals(150, back.level(0).denoiseTimestep());
        assertEquals(12, back.level(1).denoiseTimestep());
        assertArrayEquals(new int[] {1, 3}, back.level(0).model().thresholds());
        assertArrayEquals(bytes, back.toBytes());
        int[][][] q = TestModels.laplaceLatent(new Random(1), 4, 8, 8, 2);
        assertArrayEquals(ScalarLatentCoder.encode(q, sample().level(0).model()),
                ScalarLatentCoder.encode(q, back.level(0).model()));
    }

    @Test
    void everyTruncationAndByteFlipIsABundleError() {
        byte[] bytes = sample().toBytes();
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, len);
            assertThrows(ModelException.class, () -> PriorTables.parse(cut, "prior.bin"), "length " + len);
        }
        Random rnd = new Random(4);
        for (int trial = 0; trial < 500; trial++) {
            byte[] bad = bytes.clone();
            bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            assertThrows(ModelException.class, () -> PriorTables.parse(bad, "prior.bin"));
        }
    }

    @Test
    void fieldsOutOfBoundsAreRejectedEvenWithAValidCrc() {
        byte[] good = sample().toBytes();
        // header: magic 0-3, version 4, channels 5, precision 6, contexts 7, thresholds 8-11, levels 12,
        // level 0: steps 13-28, timestep 29-30, first table: offset 31-34, n 35-36, freqs from 37
        Object[][] cases = {
            {4, 2, "unsupported version"}, {5, 0, "channels 0"}, {5, 17, "channels 17"},
            {6, 7, "precision 7"}, {6, 17, "precision 17"}, {7, 0, "contexts 0"}, {7, 17, "contexts 17"},
            {12, 0, "levels 0"}, {12, 65, "levels 65"}, {9, 0, "thresholds must increase"},
            {13, 0x7F, "step"}, {29, 0xFF, "denoise timestep"}, {35, 0xFF, "symbol count"},
            {37, 0xFF, "frequencies sum"},
        };
        for (Object[] c : cases) {
            byte[] d = good.clone();
            d[(int) c[0]] = (byte) (int) c[1];
            ModelException e = assertThrows(ModelException.class, () -> PriorTables.parse(withCrc(d), "p.bin"),
                    "byte " + c[0]);
            assertTrue(e.getMessage().startsWith("p.bin: "), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[2]), () -> c[0] + ": " + e.getMessage());
        }
        byte[] d = good.clone();
        d[0] = 'X';
        assertTrue(assertThrows(ModelException.class, () -> PriorTables.parse(d, "p.bin")).getMessage()
                .contains("bad magic"));
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 2);
        assertTrue(assertThrows(ModelException.class, () -> PriorTables.parse(withCrc(longer), "p.bin"))
                .getMessage().contains("trailing bytes"));
    }

    /**
     * Rate control spans level 0 (coarsest) to the last (finest): a prior stored fine to coarse collapsed every
     * --quality, --size and --bpp to one rate. Such a file is a bundle error, and so is a repeated level.
     */
    @Test
    void levelsMustRunCoarseToFine() {
        ContextModel m = TestModels.model(4, new int[] {1, 3}, 5, 16);
        PriorLevel fine = new PriorLevel(new float[] {0.02f, 0.03f, 0.04f, 0.05f}, 12, m);
        PriorLevel coarse = new PriorLevel(new float[] {0.2f, 0.3f, 0.4f, 0.5f}, 150, m);
        ModelException e = assertThrows(ModelException.class, () -> PriorTables.parse(
                new PriorTables(List.of(fine, coarse)).toBytes(), "p.bin"));
        assertTrue(e.getMessage().startsWith("p.bin: "), e.getMessage());
        assertTrue(e.getMessage().contains("level 1: mean step 0.330975 is not below level 0's 0.0330975"
                + " (levels must run coarse to fine)"), e.getMessage());
        assertThrows(ModelException.class, () -> PriorTables.parse(new PriorTables(List.of(coarse, coarse)).toBytes(), "p.bin"));
        assertEquals(1, PriorTables.parse(new PriorTables(List.of(fine)).toBytes(), "p.bin").levels(), "one level has no order");
    }

    @Test
    void hugeSymbolCountsAreRejectedBeforeAllocating() {
        byte[] good = sample().toBytes();
        byte[] d = good.clone();
        d[35] = 0x0F; // n = 4095: within the bound, but far beyond the file
        d[36] = (byte) 0xFF;
        ModelException e = assertThrows(ModelException.class, () -> PriorTables.parse(withCrc(d), "p.bin"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
