package dev.sdc.model;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** bundle.json's optional {@code memory} object and the budget that turns it into tile sizes. */
class MemoryEstimatesTest {
    @TempDir
    Path tmp;

    @Test
    void absentMemoryObjectGivesDefaults() {
        assertEquals(MemoryEstimates.DEFAULT, Bundle.load(TestBundles.TEST).memoryEstimates());
    }

    @Test
    void givenFieldsOverrideDefaultsAndLeaveTheFingerprint() {
        Path dir = TestBundles.copy(tmp.resolve("b"));
        TestBundles.editManifest(dir, j -> {
            JsonObject m = new JsonObject();
            m.addProperty("decoder_bytes_per_pixel", 150);
            m.addProperty("overlap_px", 16);
            j.add("memory", m);
        });
        Bundle b = Bundle.load(dir);
        MemoryEstimates d = MemoryEstimates.DEFAULT;
        assertEquals(new MemoryEstimates(d.encoderBytesPerPixel(), 150, d.unetBytesPerLatentPixel(), 16), b.memoryEstimates());
        assertArrayEquals(Bundle.load(TestBundles.TEST).fingerprint(), b.fingerprint());
    }

    @Test
    void rejectsBadValues() {
        for (String[] bad : new String[][] {
            {"encoder_bytes_per_pixel", "0"}, {"unet_bytes_per_latent_pixel", "-5"}, {"overlap_px", "5000"}}) {
            Path dir = TestBundles.copy(tmp.resolve(bad[0]));
            TestBundles.editManifest(dir, j -> {
                JsonObject m = new JsonObject();
                m.addProperty(bad[0], Long.parseLong(bad[1]));
                j.add("memory", m);
            });
            ModelException e = assertThrows(ModelException.class, () -> Bundle.load(dir));
            assertTrue(e.getMessage().contains("memory." + bad[0] + " must be"), e.getMessage());
        }
    }

    @Test
    void budgetParsing() {
        assertEquals(2048L << 20, MemoryBudget.parseMegabytes(null, "x").bytes());
        assertEquals(300L << 20, MemoryBudget.parseMegabytes(" 300 ", "x").bytes());
        for (String bad : new String[] {"0", "-1", "2g", "1.5", "99999999999999"}) {
            dev.sdc.SdcException e = assertThrows(dev.sdc.SdcException.class,
                    () -> MemoryBudget.parseMegabytes(bad, "--max-memory"));
            assertEquals(dev.sdc.ExitCode.USAGE, e.exitCode());
            assertTrue(e.getMessage().startsWith("--max-memory must be"), e.getMessage());
        }
        assertEquals(1000, new MemoryBudget(12_000_000).maxUnits(12_000));
        assertEquals(1, new MemoryBudget(10).maxUnits(12_000));
    }
}
