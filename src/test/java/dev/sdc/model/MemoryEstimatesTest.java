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
            {"encoder_bytes_per_pixel", "0"}, {"unet_bytes_per_latent_pixel", "-5"}, {"overlap_px", "5000"},
            {"default_budget_mb", "0"}, {"default_budget_mb", String.valueOf((1L << 30) + 1)}}) {
            Path dir = TestBundles.copy(tmp.resolve(bad[0] + bad[1]));
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
        assertSame(MemoryBudget.BUNDLE_DEFAULT, MemoryBudget.parseMegabytes(null, "x"));
        assertSame(MemoryBudget.BUNDLE_DEFAULT, MemoryBudget.parseMegabytes(" ", "x"));
        assertEquals(300L << 20, MemoryBudget.parseMegabytes(" 300 ", "x").bytes());
        for (String bad : new String[] {"0", "-1", "2g", "1.5", "99999999999999"}) {
            dev.sdc.SdcException e = assertThrows(dev.sdc.SdcException.class,
                    () -> MemoryBudget.parseMegabytes(bad, "--max-memory"));
            assertEquals(dev.sdc.ExitCode.USAGE, e.exitCode());
            assertTrue(e.getMessage().startsWith("--max-memory must be"), e.getMessage());
        }
        assertEquals(1000, new MemoryBudget(12_000_000).maxUnits(12_000));
        assertEquals(1, new MemoryBudget(10).maxUnits(12_000));
        assertThrows(IllegalStateException.class, () -> MemoryBudget.BUNDLE_DEFAULT.maxUnits(1));
    }

    /**
     * Where no budget is asked for, each bundle gets the one measured fastest for it (README "Benchmarks",
     * scripts/measure-budget.sh), and a bundle that names none gets 2048 MB; an explicit budget always wins.
     */
    @Test
    void aRuntimeWithoutABudgetUsesTheBundlesDefault() {
        assertEquals(MemoryBudget.ofMegabytes(MemoryBudget.DEFAULT_MB), Bundle.load(TestBundles.TEST).defaultBudget());
        Path dir = TestBundles.copy(tmp.resolve("own"));
        TestBundles.editManifest(dir, j -> {
            JsonObject m = new JsonObject();
            m.addProperty("default_budget_mb", 96);
            j.add("memory", m);
        });
        Bundle own = Bundle.load(dir);
        assertEquals(MemoryBudget.ofMegabytes(96), own.defaultBudget());
        assertArrayEquals(Bundle.load(TestBundles.TEST).fingerprint(), own.fingerprint());
        try (ModelRuntime rt = ModelRuntime.open(own)) {
            assertEquals(MemoryBudget.ofMegabytes(96), rt.budget());
        }
        try (ModelRuntime rt = ModelRuntime.open(own, MemoryBudget.BUNDLE_DEFAULT)) {
            assertEquals(MemoryBudget.ofMegabytes(96), rt.budget());
        }
        try (ModelRuntime rt = ModelRuntime.open(own, MemoryBudget.ofMegabytes(3000))) {
            assertEquals(MemoryBudget.ofMegabytes(3000), rt.budget());
        }
    }

    /** The built-in bundle's measured default (256 MB: twice as fast as 2048 from 2 MP up, README "Benchmarks"). */
    @Test
    void theBuiltInBundleNamesItsBudget() {
        assertEquals(MemoryBudget.ofMegabytes(256), DefaultBundle.load(null).defaultBudget());
    }
}
