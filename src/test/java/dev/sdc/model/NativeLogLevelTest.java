package dev.sdc.model;

import dev.sdc.SdcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libtorch's C++ warnings stay off stderr unless the user asks for them with {@code TORCH_CPP_LOG_LEVEL}.
 * libtorch's log threshold is one global per process, so each setting runs in its own JVM
 * ({@link WarningModuleProbe} on {@code testdata/torch/warn.pt}, whose forward calls {@code warnings.warn}).
 */
class NativeLogLevelTest {
    private static final String WARNING = "sdc-test: libtorch warning";
    private static final String PROBE = WarningModuleProbe.class.getName();

    @TempDir
    Path dir;

    @Test
    void libtorchWarningsAreSilentByDefault() throws Exception {
        ChildJvm.Result r = ChildJvm.run(dir, Map.of(), PROBE);
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("2.0\n2.0", r.stdout(), "the module ran");
        assertFalse(r.stderr().contains(WARNING), r.stderr());
    }

    @Test
    void torchCppLogLevelBringsThemBack() throws Exception {
        // the control: without it, the test above would pass for a module that never warns
        ChildJvm.Result r = ChildJvm.run(dir, Map.of(NativeLogLevel.ENV, "warning"), PROBE);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains(WARNING), r.stderr());
    }

    @Test
    void badLevelIsAUsageErrorBeforeAnythingLoads() throws Exception {
        ChildJvm.Result r = ChildJvm.run(dir, Map.of(NativeLogLevel.ENV, "loud"), PROBE);
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().startsWith("sdc: ") && r.stderr().contains(NativeLogLevel.ENV), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertEquals("", r.stdout());
    }

    @Test
    void requestedLevelParsesNamesAndNumbers() {
        assertEquals(NativeLogLevel.ERROR, NativeLogLevel.requested(null));
        assertEquals(NativeLogLevel.ERROR, NativeLogLevel.requested(" "));
        assertEquals(0, NativeLogLevel.requested("INFO"));
        assertEquals(1, NativeLogLevel.requested(" Warning "));
        assertEquals(2, NativeLogLevel.requested("2"));
        assertEquals(3, NativeLogLevel.requested("fatal"));
        for (String bad : new String[] {"4", "-1", "WARN", "error!"}) {
            SdcException e = assertThrows(SdcException.class, () -> NativeLogLevel.requested(bad), bad);
            assertEquals(dev.sdc.ExitCode.USAGE, e.exitCode());
        }
    }
}
