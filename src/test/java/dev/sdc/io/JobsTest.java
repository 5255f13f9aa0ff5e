package dev.sdc.io;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JobsTest {
    @Test
    void defaultIsOnePerCoreWithinTheBound() {
        assertEquals(1, Jobs.perCore(1));
        assertEquals(2, Jobs.perCore(2));
        assertEquals(Jobs.MAX, Jobs.perCore(Jobs.MAX));
        // a machine with more cores than the bound must still run without --jobs
        assertEquals(Jobs.MAX, Jobs.perCore(1024));
        assertEquals(1, Jobs.perCore(0));
    }

    @Test
    void checkKeepsTheRangeAndRefusesTheRest() {
        assertEquals(1, Jobs.check(1));
        assertEquals(Jobs.MAX, Jobs.check(Jobs.MAX));
        for (int bad : new int[] {0, -1, Jobs.MAX + 1, Integer.MAX_VALUE}) {
            SdcException e = assertThrows(SdcException.class, () -> Jobs.check(bad));
            assertEquals(ExitCode.USAGE, e.exitCode());
            assertEquals("--jobs must be 1..256, got " + bad, e.getMessage());
        }
    }
}
