package dev.sdc.codec;

import dev.sdc.eval.metrics.Psnr;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The real pipeline (DJL + TorchScript test bundle) on synthetic images of awkward sizes. */
class CodecEndToEndTest {
    static BundleCodec codec;

    @BeforeAll
    static void open() {
        codec = new BundleCodec(Bundle.load(Path.of("testdata/bundles/test")));
    }

    @AfterAll
    static void close() {
        codec.close();
    }

    /**
     * The test bundle is an analytic 8×8 block transform followed by a 3×3 blur (scripts/make-test-bundle.py),
     * so quality is bounded by what 8×8 block means can represent: smooth renders measured about 30 dB, flat
     * shapes with hard edges about 21 dB. The thresholds sit a few dB under what was measured, so they catch
     * a broken stage (wrong channel order, bad padding, palette off by one: each costs far more than that).
     */
    @ParameterizedTest
    @CsvSource({
            "landscape-512x384.png, 512, 384, 27",
            "landscape-500x500.png, 500, 500, 27",
            "shapes-37x1001.png, 37, 1001, 18",
            "shapes-200x120.png, 200, 120, 18"})
    void roundTripKeepsSizeAndQuality(String name, int w, int h, double minPsnr) {
        RgbImage image = ImageFiles.read(Path.of("testdata/images", name));
        byte[] sdc = codec.encode(image, EncodeOptions.defaults());
        RgbImage back = codec.decode(sdc, DecodeOptions.defaults());
        assertEquals(w, back.width());
        assertEquals(h, back.height());
        double p = Psnr.of(image, back);
        System.out.printf("%s: %d bytes, %.4f bpp, %.2f dB%n", name, sdc.length, sdc.length * 8.0 / (w * h), p);
        assertTrue(p > minPsnr, name + " PSNR " + p + " <= " + minPsnr);
    }

    /**
     * A 67-byte file may claim 16384x16384 with one palette colour (a valid file: the CRC is right), and decoding
     * it took minutes and gigabytes. Decode refuses more pixels than its limit from the header, before any work,
     * as encode does (default 2^27).
     */
    @Test
    void decodeRefusesMorePixelsThanItsLimitFromTheHeader() {
        byte[] small = codec.encode(ImageFiles.read(Path.of("testdata/images/shapes-200x120.png")), new EncodeOptions(1, false));
        dev.sdc.bitstream.SdcFile f = dev.sdc.bitstream.SdcReader.read(small);
        dev.sdc.bitstream.SdcHeader h = f.header();
        int side = 16384;
        int lat = side / h.factor();
        dev.sdc.bitstream.SdcHeader big = new dev.sdc.bitstream.SdcHeader(side, side, h.bundleName(), h.fingerprint(),
                h.channels(), h.factor(), lat, lat, h.mode(), h.quantMin(), h.quantMax(), h.strength(), h.steps());
        dev.sdc.latent.PaletteLatent p = f.latent();
        byte[] bomb = dev.sdc.bitstream.SdcWriter.write(new dev.sdc.bitstream.SdcFile(big,
                new dev.sdc.latent.PaletteLatent(p.channels(), lat, lat, p.palette(), p.paletteSize(), new int[lat * lat])));
        assertTrue(bomb.length < 200, "a tiny file: " + bomb.length);
        dev.sdc.SdcException e = assertThrows(dev.sdc.SdcException.class, () -> codec.decode(bomb, DecodeOptions.defaults()));
        assertEquals(dev.sdc.ExitCode.BAD_INPUT, e.exitCode());
        assertEquals("16384x16384 = 268435456 pixels is more than --max-pixels 134217728 (the limit may be raised up to "
                + "268435456)", e.getMessage());
        assertThrows(dev.sdc.SdcException.class, () -> codec.decode(small, DecodeOptions.defaults().withMaxPixels(200 * 120 - 1)));
        assertEquals(200, codec.decode(small, DecodeOptions.defaults().withMaxPixels(200 * 120)).width(), "at the limit it decodes");
        assertThrows(IllegalArgumentException.class, () -> DecodeOptions.defaults().withMaxPixels(0));
    }

    /**
     * A file's steps field allows 1000: at strength 1 that is 999 UNet calls, minutes per megapixel from a file of
     * a few hundred bytes. Decode refuses more calls than its limit (default 50) before any work; an explicit
     * steps override, or no denoising, is the caller's own choice and decodes.
     */
    @Test
    void decodeRefusesMoreUnetCallsThanItsLimit() {
        RgbImage image = ImageFiles.read(Path.of("testdata/images/shapes-200x120.png"));
        byte[] heavy = codec.encode(image, new EncodeOptions(1, false, 1f, 1000));
        dev.sdc.SdcException e = assertThrows(dev.sdc.SdcException.class, () -> codec.decode(heavy, DecodeOptions.defaults()));
        assertEquals(dev.sdc.ExitCode.BAD_INPUT, e.exitCode());
        assertEquals("the file asks for 999 UNet denoise steps (steps 1000 at strength 1.0), more than --max-steps 50"
                + " (raise it, up to 1000, or set --steps)", e.getMessage());
        assertEquals(200, codec.decode(heavy, new DecodeOptions(null, 2, true)).width(), "an explicit --steps decodes");
        assertEquals(200, codec.decode(heavy, new DecodeOptions(0.01f, null, true)).width(),
                "strength 0.01 makes 10 calls of the file's 1000 steps");
        assertEquals(200, codec.decode(heavy, new DecodeOptions(null, null, false)).width(), "no denoising decodes");

        byte[] fifty = codec.encode(image, new EncodeOptions(1, false, 0.05f, 50)); // timesteps 50, 49, ..., 1
        assertEquals(200, codec.decode(fifty, DecodeOptions.defaults()).width(), "at the limit it decodes");
        assertThrows(dev.sdc.SdcException.class, () -> codec.decode(fifty, DecodeOptions.defaults().withMaxSteps(49)));
        assertThrows(IllegalArgumentException.class, () -> DecodeOptions.defaults().withMaxSteps(-1));
        assertThrows(IllegalArgumentException.class, () -> DecodeOptions.defaults().withMaxSteps(1001));
    }

    @Test
    void decodingIsBitIdenticalAndDenoisingChangesOutput() {
        RgbImage image = ImageFiles.read(Path.of("testdata/images/landscape-512x384.png"));
        byte[] sdc = codec.encode(image, new EncodeOptions(64, true));
        assertArrayEquals(sdc, codec.encode(image, new EncodeOptions(64, true)), "encoding must be deterministic");
        RgbImage a = codec.decode(sdc, DecodeOptions.defaults());
        RgbImage b = codec.decode(sdc, DecodeOptions.defaults());
        assertArrayEquals(a.rgb(), b.rgb());
        RgbImage plain = codec.decode(sdc, new DecodeOptions(null, null, false));
        RgbImage strong = codec.decode(sdc, new DecodeOptions(0.3f, 3, true));
        assertFalse(java.util.Arrays.equals(plain.rgb(), strong.rgb()), "denoising must change the latent");
    }

    @Test
    void fewerColoursGiveFewerBytes() {
        RgbImage image = ImageFiles.read(Path.of("testdata/images/landscape-500x500.png"));
        int b16 = codec.encode(image, new EncodeOptions(16, true)).length;
        int b256 = codec.encode(image, new EncodeOptions(256, true)).length;
        assertTrue(b16 < b256, b16 + " vs " + b256);
    }
}
