package dev.sdc.eval;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResampleSweepTest {
    @Test
    void badBppIsAUsageErrorNotAJavaException() {
        assertEquals(List.of(0.025, 0.05), ResampleSweep.parseTargets("0.025, 0.05"));
        for (String bad : new String[] {"x", "0.05,", "-1", "0", "NaN", "Infinity"}) {
            SdcException e = assertThrows(SdcException.class, () -> ResampleSweep.parseTargets(bad), bad);
            assertEquals(ExitCode.USAGE, e.exitCode(), bad);
        }
    }
}
