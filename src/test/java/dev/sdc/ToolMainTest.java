package dev.sdc;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

/** The measurement tools' mains end a failure as the CLI does: one line and sdc's exit code. */
class ToolMainTest {
    private record Result(int code, String err) {
    }

    private static Result run(ToolMain.Body body) {
        StringWriter err = new StringWriter();
        int code = ToolMain.run("measure-x", new String[] {"a"}, body, new PrintWriter(err));
        return new Result(code, err.toString());
    }

    @Test
    void successIsSilent() {
        Result r = run(args -> assertArrayEquals(new String[] {"a"}, args));
        assertEquals(0, r.code());
        assertEquals("", r.err());
    }

    @Test
    void sdcExceptionIsOneLineWithItsCode() {
        Result r = run(args -> {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read x.png:\n no such file");
        });
        assertEquals(3, r.code());
        assertEquals("measure-x: error: cannot read x.png: no such file" + System.lineSeparator(), r.err());
    }

    @Test
    void badNumbersAreUsageErrors() {
        Result text = run(args -> ToolMain.intArg("WIDTH", "abc", 1, 10));
        assertEquals(2, text.code());
        assertEquals("measure-x: error: WIDTH: 'abc' is not a whole number", text.err().strip());
        Result range = run(args -> ToolMain.intArg("WIDTH", "0", 1, 10));
        assertEquals(2, range.code());
        assertEquals("measure-x: error: WIDTH: 0 is not in 1..10", range.err().strip());
        assertEquals(7, ToolMain.intArg("WIDTH", "7", 1, 10));
        Result usage = run(args -> {
            throw ToolMain.usage("no IMAGE given", "tool IMAGE...");
        });
        assertEquals(2, usage.code());
        assertEquals("measure-x: error: no IMAGE given (usage: tool IMAGE...)", usage.err().strip());
    }

    @Test
    void otherExceptionsAreInternalErrorsOnOneLine() {
        Result r = run(args -> {
            throw new IllegalStateException("boom");
        });
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("measure-x: internal error: IllegalStateException: boom"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
