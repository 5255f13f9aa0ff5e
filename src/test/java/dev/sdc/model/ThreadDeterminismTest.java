package dev.sdc.model;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encoding and decoding give the same bytes whatever {@code OMP_NUM_THREADS} says (README "Determinism"). The
 * thread count of libtorch is fixed when it loads, so every setting needs its own JVM: the test runs the CLI
 * ({@code dev.sdc.cli.Main}) in child processes on the tiny bundle (which has the SiLU, GroupNorm and 1×1
 * convolutions whose results used to depend on the thread count; the analytic test bundle has none of them).
 */
class ThreadDeterminismTest {
    private static final Path IMAGE = Paths.get("testdata", "images", "landscape-512x384.png");
    private static final Path TINY = Paths.get("models", "tiny");

    @TempDir
    Path dir;

    @AfterEach
    void clearProperty() {
        System.clearProperty(DjlRuntime.THREADS_PROPERTY);
    }

    @Test
    void tinyBundleEncodeAndDecodeIgnoreOmpNumThreads() throws Exception {
        assertSameBytesForThreadSettings(TINY);
    }

    @Test
    void badThreadOverrideIsAUsageError() throws Exception {
        Path sdc = dir.resolve("x.sdc");
        ChildJvm.Result r = sdc(Map.of("SDC_THREADS", "many"), "encode", IMAGE.toString(), sdc.toString(),
                "--model", TestBundles.TEST.toString(), "-q");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().startsWith("sdc: ") && r.stderr().contains("SDC_THREADS"), r.stderr());
        assertTrue(Files.notExists(sdc));
    }

    @Test
    void threadOverrideIsReadFromPropertyAndChecked() {
        System.setProperty(DjlRuntime.THREADS_PROPERTY, "3");
        assertEquals(3, DjlRuntime.intraOpThreads());
        System.setProperty(DjlRuntime.THREADS_PROPERTY, "0");
        assertThrows(dev.sdc.SdcException.class, DjlRuntime::intraOpThreads);
        System.setProperty(DjlRuntime.THREADS_PROPERTY, "257");
        assertThrows(dev.sdc.SdcException.class, DjlRuntime::intraOpThreads);
    }

    /** Encodes under OMP_NUM_THREADS=1 and 3, decodes both files' bytes under 1 and 3; all must agree. */
    private void assertSameBytesForThreadSettings(Path bundle) throws Exception {
        String[] settings = {"1", "3"};
        byte[][] encoded = new byte[settings.length][];
        for (int i = 0; i < settings.length; i++) {
            Path sdc = dir.resolve("omp" + settings[i] + ".sdc");
            run(Map.of("OMP_NUM_THREADS", settings[i]), "encode", IMAGE.toString(), sdc.toString(),
                    "--model", bundle.toString(), "-q");
            encoded[i] = Files.readAllBytes(sdc);
        }
        assertArrayEquals(encoded[0], encoded[1], "encoded .sdc bytes depend on OMP_NUM_THREADS");
        byte[][] decoded = new byte[settings.length][];
        for (int i = 0; i < settings.length; i++) {
            Path png = dir.resolve("omp" + settings[i] + ".png");
            run(Map.of("OMP_NUM_THREADS", settings[i]), "decode", dir.resolve("omp1.sdc").toString(),
                    png.toString(), "--model", bundle.toString(), "-q");
            decoded[i] = Files.readAllBytes(png);
        }
        assertArrayEquals(decoded[0], decoded[1], "decoded pixels depend on OMP_NUM_THREADS");
    }

    private void run(Map<String, String> env, String... args) throws Exception {
        ChildJvm.Result r = sdc(env, args);
        assertEquals(0, r.exitCode(), "sdc " + String.join(" ", args) + ": " + r.stderr());
    }

    /** Runs {@code sdc ARGS} in a fresh JVM on the test class path; SDC_THREADS is unset unless env sets it. */
    private ChildJvm.Result sdc(Map<String, String> env, String... args) throws Exception {
        return ChildJvm.run(dir, env, "dev.sdc.cli.Main", args);
    }
}
