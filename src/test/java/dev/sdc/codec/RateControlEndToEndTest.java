package dev.sdc.codec;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Rate control through the real pipeline (test bundle) on every test image. */
class RateControlEndToEndTest {
    static BundleCodec codec;

    @BeforeAll
    static void open() {
        codec = new BundleCodec(Bundle.load(Path.of("testdata/bundles/test")));
    }

    @AfterAll
    static void close() {
        codec.close();
    }

    static List<Path> testImages() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("testdata/images"))) {
            List<Path> images = files.filter(Files::isRegularFile).sorted().toList();
            assertFalse(images.isEmpty());
            return images;
        }
    }

    @Test
    void encodeIsAnalyzeThenCompress() {
        RgbImage image = ImageFiles.read(Path.of("testdata/images/shapes-200x120.png"));
        AnalyzedImage analyzed = codec.analyze(image);
        assertEquals(200, analyzed.width());
        assertEquals(120, analyzed.height());
        for (EncodeOptions o : List.of(EncodeOptions.defaults(), new EncodeOptions(7, false),
                new EncodeOptions(33, true, 0.02f, 3))) {
            assertArrayEquals(codec.encode(image, o), codec.compress(analyzed, o), o.toString());
        }
    }

    @Test
    void compressRefusesALatentOfAnotherImageSize() {
        AnalyzedImage analyzed = codec.analyze(ImageFiles.read(Path.of("testdata/images/shapes-200x120.png")));
        AnalyzedImage lying = new AnalyzedImage(400, 120, analyzed.latent());
        assertThrows(IllegalArgumentException.class, () -> codec.compress(lying, EncodeOptions.defaults()));
    }

    /**
     * Targets from far below to above each image's default file, absolute and relative: the file is never
     * over the target, is exactly what the chosen settings make, and a larger target never gets a smaller file
     * by more than the search's rounding.
     */
    @Test
    void neverOvershootsOnAnyTestImage() throws IOException {
        int searches = 0;
        int trials = 0;
        for (Path path : testImages()) {
            RgbImage image = ImageFiles.read(path);
            AnalyzedImage analyzed = codec.analyze(image);
            int full = codec.compress(analyzed, EncodeOptions.defaults()).length;
            int smallest = codec.compress(analyzed, new EncodeOptions(1, false)).length;
            long[] budgets = {smallest, smallest + 37, (long) (full * 0.3), (long) (full * 0.6), (long) (full * 0.9),
                    full - 1, full, 1500};
            for (long budget : budgets) {
                if (budget < smallest) {
                    continue;
                }
                RateControlled r = codec.encode(image, RateTarget.bytes(budget), EncodeOptions.defaults());
                String what = path.getFileName() + " budget " + budget + ": " + r.describe();
                assertTrue(r.bytes().length <= budget, "overshoot: " + what);
                assertEquals(budget, r.budget());
                assertArrayEquals(codec.compress(analyzed, r.options()), r.bytes(), what);
                assertTrue(r.trials() >= 1 && r.trials() <= 2 * (2 + 8 + RateController.SCAN), what);
                if (budget >= full) {
                    assertEquals(256, r.options().colors(), "the default fits, so the search takes it: " + what);
                }
                assertEquals(image.width(), SdcReader.read(r.bytes()).header().width());
                searches++;
                trials += r.trials();
            }
        }
        System.out.printf("rate control on test images: %d searches, %.2f trials on average%n", searches,
                (double) trials / searches);
    }

    @Test
    void tooSmallTargetIsTargetUnreachable() {
        RgbImage image = ImageFiles.read(Path.of("testdata/images/shapes-37x1001.png"));
        int smallest = codec.compress(codec.analyze(image), new EncodeOptions(1, false)).length;
        SdcException e = assertThrows(SdcException.class,
                () -> codec.encode(image, RateTarget.bytes(smallest - 1), EncodeOptions.defaults()));
        assertEquals(ExitCode.TARGET_UNREACHABLE, e.exitCode());
        assertTrue(e.getMessage().contains(smallest + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains((smallest - 1) + " B"), e.getMessage());
        RateControlled exact = codec.encode(image, RateTarget.bytes(smallest), EncodeOptions.defaults());
        assertEquals(smallest, exact.bytes().length);
        assertEquals(1, exact.options().colors());
    }

    @Test
    void bitsPerPixelIsTheSameAsItsByteBudget() {
        RgbImage image = ImageFiles.read(Path.of("testdata/images/landscape-512x384.png"));
        for (double bpp : new double[] {0.02, 0.05, 0.1, 0.3}) {
            RateTarget t = RateTarget.bitsPerPixel(bpp);
            long budget = (long) Math.floor(bpp * 512 * 384 / 8);
            RateControlled a = codec.encode(image, t, EncodeOptions.defaults());
            RateControlled b = codec.encode(image, RateTarget.bytes(budget), EncodeOptions.defaults());
            assertEquals(budget, a.budget());
            assertArrayEquals(b.bytes(), a.bytes(), "bpp " + bpp);
            assertTrue(a.bytes().length * 8.0 / (512 * 384) <= bpp);
            assertTrue(a.describe().startsWith("target " + t + " = " + budget + " B: chose "), a.describe());
        }
    }

    @Test
    void baseSettingsAreKeptAndNoDitherIsHonoured() {
        RgbImage image = ImageFiles.read(Path.of("testdata/images/landscape-512x384.png"));
        int full = codec.encode(image, EncodeOptions.defaults()).length;
        RateControlled r = codec.encode(image, RateTarget.bytes(full / 2), new EncodeOptions(256, false, 0.02f, 3));
        assertFalse(r.options().dither(), "--no-dither restricts the search to nearest-colour mapping");
        assertEquals(0.02f, SdcReader.read(r.bytes()).header().strength());
        assertEquals(3, SdcReader.read(r.bytes()).header().steps());
    }
}
