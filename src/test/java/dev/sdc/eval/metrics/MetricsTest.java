package dev.sdc.eval.metrics;

import dev.sdc.SdcException;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    /*
     * Expected values computed independently with Debian's numpy 1.24 / scipy 1.10 / scikit-image 0.19.3:
     *   /usr/bin/python3 scripts/eval/expected_metrics.py
     * which also generated the images in testdata/eval/ (fixed seed).
     */
    private static final double[][] EXPECTED = {
            // psnr, ssim, msssim
            {26.5358296323, 0.5781403600, 0.9331532616}, // noisy
            {29.3528697938, 0.7359156979, 0.9615795325}, // blurred
            {28.6963419144, 0.7084728467, 0.9487706135}, // posterized
    };
    private static final String[] NAMES = {"noisy", "blurred", "posterized"};
    /* DetailRatio of the same images, from the script's 2-D-kernel numpy version (not Java's separable passes):
     *   /usr/bin/python3 scripts/eval/expected_metrics.py --detail */
    private static final double[] EXPECTED_DETAIL = {3.1346833181, 0.0941345839, 2.1429099134};

    private static RgbImage load(String name) {
        return ImageFiles.read(Path.of("testdata/eval", name + ".png"));
    }

    @Test
    void matchesScikitImageOnSyntheticImages() {
        RgbImage ref = load("ref");
        for (int i = 0; i < NAMES.length; i++) {
            RgbImage d = load(NAMES[i]);
            assertEquals(EXPECTED[i][0], Psnr.of(ref, d), 1e-8, NAMES[i] + " psnr");
            assertEquals(EXPECTED[i][1], Ssim.of(ref, d), 1e-8, NAMES[i] + " ssim");
            assertEquals(EXPECTED[i][2], MsSsim.of(ref, d), 1e-8, NAMES[i] + " msssim");
        }
    }

    @Test
    void detailRatioMatchesTheNumpyReference() {
        RgbImage ref = load("ref");
        for (int i = 0; i < NAMES.length; i++) {
            assertEquals(EXPECTED_DETAIL[i], DetailRatio.of(ref, load(NAMES[i])), 1e-9, NAMES[i] + " detail");
        }
        assertEquals(1.0, DetailRatio.of(ref, ref), 1e-12);
    }

    @Test
    void detailRatioIsNaNWithoutDetailAndZeroForAFlatDecode() {
        RgbImage flat = RgbImage.blank(64, 48);
        assertTrue(Double.isNaN(DetailRatio.of(flat, flat)), "a flat original has no detail to keep");
        assertTrue(Double.isNaN(DetailRatio.of(RgbImage.blank(8, 8), RgbImage.blank(8, 8))), "smaller than the kernel");
        RgbImage ref = load("ref");
        RgbImage grey = RgbImage.blank(ref.width(), ref.height());
        assertEquals(0.0, DetailRatio.of(ref, grey), 1e-12, "a flat decode kept none");
    }

    @Test
    void identicalImagesArePerfect() {
        RgbImage ref = load("ref");
        assertEquals(Double.POSITIVE_INFINITY, Psnr.of(ref, ref));
        assertEquals(1.0, Ssim.of(ref, ref), 1e-12);
        assertEquals(1.0, MsSsim.of(ref, ref), 1e-12);
    }

    @Test
    void msSsimIsNaNWhenTheCoarsestScaleIsSmallerThanTheWindow() {
        RgbImage small = RgbImage.blank(100, 100);
        assertTrue(Double.isNaN(MsSsim.of(small, small)));
        assertEquals(1.0, Ssim.of(small, small), 1e-12);
    }

    @Test
    void psnrOfAKnownError() {
        RgbImage a = RgbImage.blank(4, 4);
        RgbImage b = RgbImage.blank(4, 4);
        java.util.Arrays.fill(b.rgb(), (byte) 5); // MSE 25
        assertEquals(10 * Math.log10(255.0 * 255.0 / 25.0), Psnr.of(a, b), 1e-12);
    }

    @Test
    void differentSizesAreRejected() {
        assertThrows(SdcException.class, () -> Psnr.of(RgbImage.blank(4, 4), RgbImage.blank(4, 5)));
    }

    @Test
    void butteraugliOutputIsParsed() {
        assertEquals(4.436962, Butteraugli.parse("4.436962\n"), 0);
        assertTrue(Double.isNaN(Butteraugli.parse("usage: ...")));
        assertTrue(Double.isNaN(Butteraugli.disabled().score(Path.of("a.png"), Path.of("b.png"))));
    }

    @Test
    void butteraugliBinaryScoresWhenInstalled() {
        Butteraugli b = Butteraugli.onPath();
        org.junit.jupiter.api.Assumptions.assumeTrue(b.available(), "butteraugli not installed");
        Path ref = Path.of("testdata/eval/ref.png");
        assertEquals(0.0, b.score(ref, ref), 1e-9);
        assertTrue(b.score(ref, Path.of("testdata/eval/noisy.png")) > 1.0);
    }
}
