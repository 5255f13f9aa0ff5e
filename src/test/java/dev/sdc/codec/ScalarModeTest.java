package dev.sdc.codec;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.bitstream.FormatException;
import dev.sdc.bitstream.ScalarPayload;
import dev.sdc.bitstream.SdcFile;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.eval.metrics.Psnr;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.model.Bundle;
import dev.sdc.model.Latent;
import dev.sdc.model.MemoryBudget;
import dev.sdc.model.ModelException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Quantizer mode 1 through the real pipeline, on the analytic scalar test bundle (scripts/make-test-scalar-bundle.py). */
class ScalarModeTest {
    static final Path BUNDLE = Path.of("testdata/bundles/test-scalar");
    static BundleCodec codec;

    @BeforeAll
    static void open() {
        codec = new BundleCodec(Bundle.load(BUNDLE));
    }

    @AfterAll
    static void close() {
        codec.close();
    }

    static RgbImage image(String name) {
        return ImageFiles.read(Path.of("testdata/images", name));
    }

    @Test
    void roundTripAtEveryLevelKeepsSizeAndFinerStepsCostMoreAndLoseLess() {
        RgbImage image = image("landscape-512x384.png");
        int previousBytes = 0;
        double previousPsnr = 0;
        for (int level = 0; level < 3; level++) {
            byte[] sdc = codec.encode(image, EncodeOptions.scalar(new ScalarRate(level, ScalarRate.UNIT)));
            SdcFile f = SdcReader.read(sdc);
            assertEquals(SdcHeader.MODE_SCALAR, f.header().mode());
            assertEquals(level, ((ScalarPayload) f.payload()).level());
            RgbImage back = codec.decode(sdc, DecodeOptions.defaults());
            assertEquals(512, back.width());
            assertEquals(384, back.height());
            double p = Psnr.of(image, back);
            System.out.printf("level %d: %d bytes, %.2f dB%n", level, sdc.length, p);
            assertTrue(sdc.length > previousBytes, "level " + level + ": " + sdc.length + " <= " + previousBytes);
            assertTrue(p > previousPsnr, "level " + level + ": " + p + " <= " + previousPsnr);
            previousBytes = sdc.length;
            previousPsnr = p;
        }
        assertTrue(previousPsnr > 25, "finest level " + previousPsnr + " dB");
    }

    /** The decoder's latent is exactly q · Δ_c: every value a multiple of its channel's step, within the step of the encoder's latent. */
    @Test
    void reconstructedLatentIsTheQuantisedEncoderLatent() {
        RgbImage image = image("shapes-200x120.png");
        ScalarRate rate = new ScalarRate(1, 5000);
        AnalyzedImage analyzed = codec.analyze(image);
        Latent raw = analyzed.latent();
        Latent back = codec.readLatent(codec.compress(analyzed, EncodeOptions.scalar(rate)));
        float[] steps = ((ScalarLatentCodec) new LatentCodecs(codec.bundle()).of(QuantizerMode.SCALAR)).steps(rate);
        int n = raw.height() * raw.width();
        for (int i = 0; i < raw.data().length; i++) {
            float d = steps[i / n];
            float v = back.data()[i];
            assertEquals(Math.round(v / d) * d, v, 1e-6f, "value " + i);
            float clamped = Math.max(-2f, Math.min(2f, raw.data()[i]));
            assertTrue(Math.abs(v - clamped) <= d / 2 + 1e-6, "value " + i + ": " + v + " vs " + raw.data()[i]);
        }
    }

    @Test
    void encodeAndDecodeAreDeterministicAndTiledEqualsUntiledWithinTheTilingBound() {
        RgbImage image = image("landscape-768x512.png");
        byte[] sdc = codec.encode(image, EncodeOptions.scalar(new ScalarRate(0, ScalarRate.UNIT)));
        assertArrayEquals(sdc, codec.encode(image, EncodeOptions.scalar(new ScalarRate(0, ScalarRate.UNIT))));
        assertTrue(SdcReader.read(sdc).header().steps() > 0, "level 0 is denoised by default");
        RgbImage a = codec.decode(sdc, DecodeOptions.defaults());
        assertArrayEquals(a.rgb(), codec.decode(sdc, DecodeOptions.defaults()).rgb(), "decode twice");
        try (BundleCodec tiled = new BundleCodec(Bundle.load(BUNDLE), MemoryBudget.ofMegabytes(2))) {
            RgbImage t = tiled.decode(sdc, DecodeOptions.defaults());
            int worst = 0;
            for (int i = 0; i < a.rgb().length; i++) {
                int x = a.rgb()[i], y = t.rgb()[i];
                for (int s = 0; s < 24; s += 8) {
                    worst = Math.max(worst, Math.abs(((x >> s) & 0xFF) - ((y >> s) & 0xFF)));
                }
            }
            assertTrue(worst <= 1, "tiled vs untiled: max difference " + worst);
        }
    }

    @Test
    void denoiseDefaultsFollowTheQuantisationNoise() {
        ScalarLatentCodec s = (ScalarLatentCodec) new LatentCodecs(codec.bundle()).of(QuantizerMode.SCALAR);
        // level 0's prior says t = 6 at factor 1 (scripts/make-test-scalar-bundle.py); twice the step is four times the noise
        assertEquals(6, s.denoiseTimestep(new ScalarRate(0, ScalarRate.UNIT)));
        assertTrue(s.denoiseTimestep(new ScalarRate(0, 2 * ScalarRate.UNIT)) > 6);
        // levels whose prior says 0 are not denoised, whatever the factor
        assertEquals(0, s.denoiseTimestep(new ScalarRate(2, 4 * ScalarRate.UNIT)));
        EncodeOptions o = EncodeOptions.scalar(new ScalarRate(0, ScalarRate.UNIT));
        assertEquals(0.006f, s.denoiseDefault(o).strength(), 1e-9f);
        assertEquals(1, s.denoiseDefault(o).steps());
    }

    @Test
    void qualityIsMonotoneInStepAndCoversTheLevels() {
        ScalarLatentCodec s = (ScalarLatentCodec) new LatentCodecs(codec.bundle()).of(QuantizerMode.SCALAR);
        double previous = Double.POSITIVE_INFINITY;
        boolean[] seen = new boolean[3];
        for (int q = 0; q <= 1000; q++) {
            ScalarRate r = s.rateForQuality(q / 10.0);
            seen[r.level()] = true;
            float[] d = s.steps(r);
            double mean = 0;
            for (float v : d) {
                mean += Math.log(v);
            }
            assertTrue(mean <= previous + 1e-3, "quality " + q / 10.0 + " is coarser than the one before");
            previous = mean;
        }
        assertArrayEquals(new boolean[] {true, true, true}, seen);
        assertEquals(new ScalarRate(1, ScalarRate.UNIT), s.defaultRate());
    }

    @Test
    void scalarRateControlNeverOvershootsOnAnyTestImage() throws IOException {
        for (Path path : RateControlEndToEndTest.testImages()) {
            RgbImage image = ImageFiles.read(path);
            AnalyzedImage analyzed = codec.analyze(image);
            int smallest = codec.compress(analyzed, EncodeOptions.scalar(codec.scalarRate(0))).length;
            int largest = codec.compress(analyzed, EncodeOptions.scalar(codec.scalarRate(100))).length;
            long previous = 0;
            for (long budget : new long[] {smallest, smallest + 50, (smallest + largest) / 2, largest - 1, largest,
                    largest * 2L}) {
                RateControlled r = codec.encode(image, RateTarget.bytes(budget), EncodeOptions.scalar(null));
                String what = path.getFileName() + " budget " + budget + ": " + r.describe();
                assertTrue(r.bytes().length <= budget, "overshoot: " + what);
                assertEquals(QuantizerMode.SCALAR, r.options().mode(), what);
                assertArrayEquals(codec.compress(analyzed, r.options()), r.bytes(), what);
                assertTrue(r.bytes().length >= previous * 0.95, "a larger budget got a much smaller file: " + what);
                previous = r.bytes().length;
            }
            SdcException e = assertThrows(SdcException.class,
                    () -> codec.encode(image, RateTarget.bytes(smallest - 1), EncodeOptions.scalar(null)));
            assertEquals(ExitCode.TARGET_UNREACHABLE, e.exitCode());
        }
    }

    /** Every truncation and every single-byte change of a mode-1 file is a clean FormatException (or the bundle check). */
    @Test
    void everyTruncationAndByteFlipIsACleanError() {
        byte[] sdc = codec.encode(image("shapes-200x120.png"), EncodeOptions.scalar(new ScalarRate(0, 3000)));
        for (int n = 0; n < sdc.length; n++) {
            byte[] cut = Arrays.copyOf(sdc, n);
            assertThrows(FormatException.class, () -> codec.readLatent(cut), "truncated to " + n);
        }
        for (int i = 0; i < sdc.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = sdc.clone();
                bad[i] ^= (byte) (1 << bit);
                try {
                    codec.readLatent(bad);
                    fail("flip of bit " + bit + " of byte " + i + " was accepted");
                } catch (FormatException | ModelException expected) {
                    // CRC, bounds, or (for the fingerprint bytes) the wrong-bundle error
                } catch (SdcException expected) {
                    assertEquals(ExitCode.BAD_INPUT, expected.exitCode(), "byte " + i);
                }
            }
        }
    }

    @Test
    void aBundleWithoutAPriorRefusesTheScalarMode() {
        try (BundleCodec palette = new BundleCodec(Bundle.load(Path.of("testdata/bundles/test")))) {
            assertFalse(palette.supports(QuantizerMode.SCALAR));
            ModelException e = assertThrows(ModelException.class,
                    () -> palette.encode(image("shapes-200x120.png"), EncodeOptions.scalar(null)));
            assertTrue(e.getMessage().contains("has no scalar prior"), e.getMessage());
        }
        assertTrue(codec.supports(QuantizerMode.SCALAR));
    }

    @Test
    void paletteModeStillWorksOnAScalarBundle() {
        RgbImage image = image("shapes-200x120.png");
        byte[] sdc = codec.encode(image, new EncodeOptions(32, true));
        assertEquals(SdcHeader.MODE_PALETTE, SdcReader.read(sdc).header().mode());
        assertEquals(200, codec.decode(sdc, DecodeOptions.defaults()).width());
    }

    /** A default level the prior does not have is refused when the codec opens the bundle (exit 4). */
    @Test
    void aDefaultLevelBeyondThePriorIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path d = java.nio.file.Files.createDirectories(dir.resolve("b"));
        try (var files = java.nio.file.Files.list(BUNDLE)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                java.nio.file.Files.copy(f, d.resolve(f.getFileName()));
            }
        }
        Path manifest = d.resolve("bundle.json");
        java.nio.file.Files.writeString(manifest, java.nio.file.Files.readString(manifest)
                .replace("\"default_level\": 1", "\"default_level\": 3"));
        ModelException e = assertThrows(ModelException.class, () -> new LatentCodecs(Bundle.load(d)));
        assertTrue(e.getMessage().contains("scalar.default_level 3 but the prior has 3 levels"), e.getMessage());
    }
}
