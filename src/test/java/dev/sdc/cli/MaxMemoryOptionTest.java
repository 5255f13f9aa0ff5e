package dev.sdc.cli;

import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code --max-memory}: a tiny budget still round-trips (tiled), a malformed one is a usage error. */
class MaxMemoryOptionTest {
    @TempDir
    Path dir;

    @Test
    void tinyBudgetRoundTripsAndBadValueIsUsageError() {
        Path sdc = dir.resolve("a.sdc");
        Path png = dir.resolve("a.png");
        String bundle = CliTest.TEST_BUNDLE.toString();
        CliTest.Result e = CliTest.sdc("encode", CliTest.IMAGE.toString(), sdc.toString(), "--model", bundle,
                "--max-memory", "1", "-q");
        assertEquals(0, e.code(), e.err());
        CliTest.Result d = CliTest.sdc("decode", sdc.toString(), png.toString(), "--model", bundle,
                "--max-memory", "1", "-q");
        assertEquals(0, d.code(), d.err());
        RgbImage back = ImageFiles.read(png);
        assertEquals(200, back.width());
        assertEquals(120, back.height());

        CliTest.Result bad = CliTest.sdc("decode", sdc.toString(), dir.resolve("b.png").toString(), "--model", bundle,
                "--max-memory", "lots");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("sdc: ") && bad.err().contains("--max-memory must be"), bad.err());
        assertFalse(Files.exists(dir.resolve("b.png")));
    }
}
