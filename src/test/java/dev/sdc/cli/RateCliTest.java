package dev.sdc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.sdc.cli.CliTest.IMAGE;
import static dev.sdc.cli.CliTest.TEST_BUNDLE;
import static dev.sdc.cli.CliTest.sdc;
import static org.junit.jupiter.api.Assertions.*;

/** {@code --size} / {@code --bpp} as a user drives them. */
class RateCliTest {
    @TempDir
    Path dir;

    private CliTest.Result encode(Path out, String... extra) {
        return sdc(new String[] {"encode", IMAGE.toString(), out.toString(), "--model", TEST_BUNDLE.toString()},
                extra);
    }

    private static void assertOneLineError(CliTest.Result r, int code, String mustContain) {
        assertEquals(code, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertTrue(lines.length <= 2, r.err()); // picocli adds a "Try --help" line to its own errors
        assertTrue(lines[0].startsWith("sdc: "), r.err());
        assertTrue(lines[0].contains(mustContain), r.err());
    }

    @Test
    void sizeLandsUnderTheTargetAndReportsTheChoice() throws IOException {
        Path full = dir.resolve("full.sdc");
        assertEquals(0, encode(full, "-q").code());
        long fullBytes = Files.size(full);
        for (long target : new long[] {fullBytes / 3, fullBytes / 2, fullBytes - 1, fullBytes + 10}) {
            Path out = dir.resolve("t" + target + ".sdc");
            CliTest.Result r = encode(out, "--size", Long.toString(target));
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.size(out) <= target, Files.size(out) + " > " + target);
            assertTrue(r.err().contains("target " + target + " B: chose "), r.err());
            assertTrue(r.err().contains("-> " + Files.size(out) + " bytes"), r.err());
        }
    }

    @Test
    void kilobytesAndBitsPerPixelMatchTheirByteCounts() throws IOException {
        Path a = dir.resolve("a.sdc");
        Path b = dir.resolve("b.sdc");
        Path c = dir.resolve("c.sdc");
        Path d = dir.resolve("d.sdc");
        assertEquals(0, encode(a, "--size", "1.2kB", "-q").code());
        assertEquals(0, encode(b, "--size", "1200", "-q").code());
        assertArrayEquals(Files.readAllBytes(b), Files.readAllBytes(a));
        // 200x120 at 0.4 bpp = 1200 bytes
        CliTest.Result r = encode(c, "--bpp", "0.4");
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(b), Files.readAllBytes(c));
        assertTrue(r.err().contains("target 0.4 bpp = 1200 B: chose "), r.err());
        assertEquals(0, encode(d, "--size", "1KiB", "-q").code());
        assertTrue(Files.size(d) <= 1024);
    }

    @Test
    void tooSmallTargetIsAClearErrorAndWritesNothing() throws IOException {
        Path out = dir.resolve("small.sdc");
        CliTest.Result r = encode(out, "--size", "20");
        assertOneLineError(r, 7, IMAGE.toString());
        assertTrue(r.err().contains("too small"), r.err());
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary file left behind");
        }
        Files.writeString(out, "keep me");
        // --force allows replacing it, but a failed encode must still leave it as it was
        assertOneLineError(encode(out, "--bpp", "0.001", "--force"), 7, "too small");
        assertEquals("keep me", Files.readString(out), "an existing output survives");
    }

    @Test
    void sizeBppAndColorsAreMutuallyExclusive() {
        Path out = dir.resolve("x.sdc");
        assertOneLineError(encode(out, "--size", "1000", "--bpp", "0.1"), 2, "mutually exclusive");
        assertOneLineError(encode(out, "--size", "1000", "--colors", "16"), 2, "--colors");
        assertOneLineError(encode(out, "--bpp", "0.1", "-c", "16"), 2, "--colors");
        assertFalse(Files.exists(out));
    }

    @Test
    void malformedTargetsAreUsageErrors() {
        Path out = dir.resolve("x.sdc");
        for (String bad : new String[] {"4GB", "abc", "0", "-5", "4Ki"}) {
            assertOneLineError(encode(out, "--size", bad), 2, "--size");
        }
        for (String bad : new String[] {"x", "0", "-1", "100"}) {
            assertOneLineError(encode(out, "--bpp", bad), 2, "--bpp");
        }
        assertFalse(Files.exists(out));
    }
}
