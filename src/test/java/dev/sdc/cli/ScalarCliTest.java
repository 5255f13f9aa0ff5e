package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.bitstream.ScalarPayload;
import dev.sdc.bitstream.SdcReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.sdc.cli.CliTest.IMAGE;
import static dev.sdc.cli.CliTest.sdc;
import static org.junit.jupiter.api.Assertions.*;

/** {@code --mode scalar}, {@code --quality}, scalar rate control and {@code info} as a user drives them. */
class ScalarCliTest {
    static final Path SCALAR_BUNDLE = Path.of("testdata/bundles/test-scalar");

    @TempDir
    Path dir;

    private CliTest.Result encode(Path in, Path out, String... extra) {
        return sdc(new String[] {"encode", in.toString(), out.toString(), "--model", SCALAR_BUNDLE.toString(),
                "--mode", "scalar"}, extra);
    }

    @Test
    void encodeDecodeInfoRoundTrip() throws IOException {
        Path sdcFile = dir.resolve("a.sdc");
        CliTest.Result r = encode(IMAGE, sdcFile);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("scalar level 1, rate factor 1.0000"), r.err());
        ScalarPayload p = (ScalarPayload) SdcReader.read(Files.readAllBytes(sdcFile)).payload();
        assertEquals(1, p.level(), "the bundle's default level");
        Path png = dir.resolve("a.png");
        r = sdc("decode", sdcFile.toString(), png.toString(), "--model", SCALAR_BUNDLE.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(png) > 0);
        r = sdc("info", "--model", SCALAR_BUNDLE.toString(), sdcFile.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("quantizer:       scalar (mode 1)"), r.out());
        assertTrue(r.out().contains("rate:            level 1, rate factor 4096/4096 = 1.0000"), r.out());
        assertTrue(r.out().contains("steps:           0.2000 0.1800 0.2200 0.2500"), r.out());
        assertTrue(r.out().contains("coded latent:    " + p.coded().length + " bytes"), r.out());
        r = sdc("info", sdcFile.toString()); // the default bundle did not make it: no steps, still the rate
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rate:            level 1") && !r.out().contains("steps:"), r.out());
    }

    @Test
    void higherQualityGivesMoreBytes() throws IOException {
        long previous = 0;
        for (String q : new String[] {"0", "30", "60", "100"}) {
            Path out = dir.resolve("q" + q + ".sdc");
            CliTest.Result r = encode(IMAGE, out, "--quality", q, "-q");
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.size(out) > previous, "quality " + q + ": " + Files.size(out) + " <= " + previous);
            previous = Files.size(out);
        }
    }

    /** --size never overshoots, on every testdata image, and says what it chose. */
    @Test
    void sizeNeverOvershootsOnAnyTestImage() throws IOException {
        try (Stream<Path> images = Files.list(Path.of("testdata/images"))) {
            for (Path image : images.sorted().toList()) {
                Path smallest = dir.resolve(image.getFileName() + "-smallest.sdc");
                assertEquals(0, encode(image, smallest, "--quality", "0", "-q").code());
                long floor = Files.size(smallest);
                for (long target : new long[] {floor, floor * 3 / 2, floor * 3}) {
                    Path out = dir.resolve(image.getFileName() + "-" + target + ".sdc");
                    CliTest.Result r = encode(image, out, "--size", Long.toString(target));
                    assertEquals(0, r.code(), image + " " + target + ": " + r.err());
                    assertTrue(Files.size(out) <= target, image + ": " + Files.size(out) + " > " + target);
                    assertTrue(r.err().contains("chose scalar level"), r.err());
                }
                Path refused = dir.resolve(image.getFileName() + "-refused.sdc");
                CliTest.Result r = encode(image, refused, "--size", Long.toString(floor - 1));
                CliTest.assertOneLineError(r, ExitCode.TARGET_UNREACHABLE.code());
                assertFalse(Files.exists(refused), "no partial output");
            }
        }
    }

    @Test
    void badCombinationsAreOneLineUsageErrors() {
        Path out = dir.resolve("o.sdc");
        CliTest.assertOneLineError(encode(IMAGE, out, "--colors", "16"), ExitCode.USAGE.code());
        CliTest.assertOneLineError(encode(IMAGE, out, "--quality", "50", "--size", "2kB"), ExitCode.USAGE.code());
        CliTest.assertOneLineError(encode(IMAGE, out, "--quality", "-1"), ExitCode.USAGE.code());
        CliTest.assertOneLineError(encode(IMAGE, out, "--quality", "NaN"), ExitCode.USAGE.code());
        CliTest.assertOneLineError(sdc("encode", IMAGE.toString(), out.toString(), "--quality", "50"),
                ExitCode.USAGE.code());
        CliTest.assertOneLineError(sdc("encode", IMAGE.toString(), out.toString(), "--mode", "vector"),
                ExitCode.USAGE.code());
        CliTest.assertOneLineError(sdc("encode", IMAGE.toString(), out.toString(), "--mode", "scalar", "--model",
                CliTest.TEST_BUNDLE.toString()), ExitCode.MODEL.code());
        assertFalse(Files.exists(out));
    }
}
