package dev.sdc.cli;

import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.sdc.cli.CliTest.TEST_BUNDLE;
import static dev.sdc.cli.CliTest.sdc;
import static org.junit.jupiter.api.Assertions.*;

/** {@code --background}, {@code --max-pixels} and the input warnings, as a user sees them. */
class ImageInputOptionsTest {
    static final Path MAGENTA = Path.of("testdata/input/magenta-transparent.png");

    @TempDir
    Path dir;

    private CliTest.Result encode(Path in, String... extra) {
        // --force: several tests encode to the same out.sdc in turn
        return sdc(new String[] {"encode", in.toString(), dir.resolve("out.sdc").toString(),
                "--model=" + TEST_BUNDLE, "--force"}, extra);
    }

    private static long linesStartingWith(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    void alphaWarningIsOneLineNamingTheFile() {
        CliTest.Result r = encode(MAGENTA);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("sdc: warning: " + MAGENTA + ": alpha composited onto #ffffff\n"), r.err());
        assertEquals(1, linesStartingWith(r.err(), "sdc: warning: "), r.err());
    }

    @Test
    void backgroundOptionNamesTheColourAndChangesThePixels() throws Exception {
        CliTest.Result black = encode(MAGENTA, "--background", "black");
        assertEquals(0, black.code(), black.err());
        assertTrue(black.err().contains("alpha composited onto #000000"), black.err());
        double dark = decodedMean();
        CliTest.Result white = encode(MAGENTA, "--background", "#ffffff");
        assertEquals(0, white.code(), white.err());
        double light = decodedMean();
        assertTrue(light > dark + 100, "white background " + light + " vs black " + dark);
    }

    private double decodedMean() {
        Path png = dir.resolve("back.png");
        CliTest.Result d = sdc("decode", dir.resolve("out.sdc").toString(), png.toString(), "--model=" + TEST_BUNDLE, "-q", "--force");
        assertEquals(0, d.code(), d.err());
        RgbImage img = ImageFiles.read(png);
        long sum = 0;
        for (byte b : img.rgb()) {
            sum += b & 0xFF;
        }
        return (double) sum / img.rgb().length;
    }

    @Test
    void quietSilencesWarnings() {
        CliTest.Result r = encode(MAGENTA, "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
    }

    @Test
    void animatedGifWarnsFirstFrame() {
        CliTest.Result r = encode(Path.of("testdata/input/animated.gif"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("sdc: warning: testdata/input/animated.gif: animated (3 frames): only the first frame is read"), r.err());
    }

    @Test
    void opaqueInputHasNoWarning() {
        CliTest.Result r = encode(Path.of("testdata/input/grey8.png"));
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("warning"), r.err());
    }

    @Test
    void badBackgroundAndMaxPixelsAreUsageErrors() {
        CliTest.Result bg = encode(MAGENTA, "--background", "purple");
        assertEquals(2, bg.code(), bg.err());
        assertTrue(bg.err().startsWith("sdc: ") && bg.err().strip().lines().count() == 1, bg.err());
        CliTest.Result mp = encode(MAGENTA, "--max-pixels", "0");
        assertEquals(2, mp.code(), mp.err());
        assertFalse(Files.exists(dir.resolve("out.sdc")));
    }

    @Test
    void lyingHeaderIsBadInputNamingTheFile() {
        Path lie = Path.of("testdata/input/lying-16384.png");
        CliTest.Result r = encode(lie);
        assertEquals(3, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("sdc: error: " + lie + ": 16384x16384"), r.err());
        CliTest.Result raised = encode(lie, "--max-pixels", "268435456");
        assertEquals(3, raised.code(), raised.err());
        assertEquals(1, raised.err().strip().lines().count(), raised.err());
        assertTrue(raised.err().startsWith("sdc: error: " + lie + ": "), raised.err());
        assertFalse(Files.exists(dir.resolve("out.sdc")));
    }

    @Test
    void maxPixelsBelowTheImageRefusesIt() {
        CliTest.Result r = encode(Path.of("testdata/input/grey8.png"), "--max-pixels", "1000");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("--max-pixels 1000"), r.err());
    }
}
