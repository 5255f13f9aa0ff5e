package dev.sdc.model;

import dev.sdc.image.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real DJL / libtorch path with the committed analytic test bundle. */
class ModelRuntimeTest {
    private static ModelRuntime runtime;

    @BeforeAll
    static void open() {
        runtime = ModelRuntime.open(Bundle.load(TestBundles.TEST));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    /** The same smooth colourful image scripts/make-test-bundle.py reports its PSNR on, in 8 bits. */
    static RgbImage smoothImage(int w, int h) {
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double xx = x / (double) (w - 1);
                double yy = y / (double) (h - 1);
                double[] v = {
                    0.6 * Math.sin(3.0 * xx + 1.0) + 0.2 * yy,
                    0.5 * Math.cos(2.0 * yy + 0.5 * xx),
                    0.7 * xx * yy - 0.3};
                for (int c = 0; c < 3; c++) {
                    img.set(x, y, c, (int) Math.round((v[c] + 1) * 127.5));
                }
            }
        }
        return img;
    }

    static double psnr(RgbImage a, RgbImage b) {
        double se = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            double d = (a.rgb()[i] & 0xFF) - (b.rgb()[i] & 0xFF);
            se += d * d;
        }
        return 10 * Math.log10(255.0 * 255.0 / (se / a.rgb().length));
    }

    @Test
    void encodeDecodeRoundTrip() {
        RgbImage img = smoothImage(64, 48);
        Latent z = runtime.autoencoder().encode(img);
        assertEquals(4, z.channels());
        assertEquals(6, z.height());
        assertEquals(8, z.width());
        for (float v : z.data()) {
            assertTrue(v >= -2f && v <= 2f, "latent within quant range: " + v);
        }
        RgbImage out = runtime.autoencoder().decode(z);
        assertEquals(64, out.width());
        assertEquals(48, out.height());
        double p = psnr(img, out);
        // The script reports 37.75 dB on the float version of this image.
        assertTrue(p > 33, "PSNR " + p);
        // One loaded model serves many calls, with identical results.
        assertArrayEquals(z.data(), runtime.autoencoder().encode(img).data());
        assertArrayEquals(out.rgb(), runtime.autoencoder().decode(z).rgb());
    }

    @Test
    void rejectsUnpaddedImageAndWrongChannels() {
        assertThrows(IllegalArgumentException.class, () -> runtime.autoencoder().encode(RgbImage.blank(60, 48)));
        ModelException e = assertThrows(ModelException.class,
                () -> runtime.autoencoder().decode(new Latent(3, 2, 2, new float[12])));
        assertTrue(e.getMessage().contains("expects 4"), e.getMessage());
    }

    @Test
    void denoiseIsDeterministicAndGentle() {
        Latent z = runtime.autoencoder().encode(smoothImage(64, 48));
        LatentDenoiser d = runtime.denoiser().orElseThrow();
        Latent a = d.denoise(z, 0.04f, 2);
        Latent b = d.denoise(z, 0.04f, 2);
        assertArrayEquals(a.data(), b.data());
        assertNotSame(z.data(), a.data());
        double maxDiff = 0;
        for (int i = 0; i < z.data().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a.data()[i] - z.data()[i]));
        }
        assertTrue(maxDiff > 1e-4 && maxDiff < 0.1, "max change " + maxDiff);
        assertSame(z, d.denoise(z, 0f, 2));
        assertSame(z, d.denoise(z, 0.04f, 0));
    }

    @Test
    void denoiseMatchesPythonReference() {
        // Reference: /usr/bin/python3 running unet.pt with torch 1.13 and the DDIM update of docs/MODELS.md in
        // float64 coefficients on the latent z[c][y][x] = 0.5*sin(0.7*x + 1.3*y + c), shape [4,3,5].
        float[] data = new float[4 * 3 * 5];
        for (int c = 0; c < 4; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 5; x++) {
                    data[(c * 3 + y) * 5 + x] = (float) (0.5 * Math.sin(0.7 * x + 1.3 * y + c));
                }
            }
        }
        Latent out = runtime.denoiser().orElseThrow().denoise(new Latent(4, 3, 5, data), 0.04f, 2);
        assertEquals(PY_REF_0, out.data()[0], 1e-6f);
        assertEquals(PY_REF_17, out.data()[17], 1e-6f);
        assertEquals(PY_REF_59, out.data()[59], 1e-6f);
    }

    private static final float PY_REF_0 = 0.016378691f;
    private static final float PY_REF_17 = 0.32831034f;
    private static final float PY_REF_59 = 0.43083036f;

    @Test
    void loadsOnlyTheNetworksItUses() {
        try (ModelRuntime rt = ModelRuntime.open(Bundle.load(TestBundles.TEST))) {
            assertEquals("", rt.loadedNetworks());
            rt.autoencoder().decode(new Latent(4, 2, 3, new float[24]));
            assertEquals("decoder", rt.loadedNetworks());
            rt.denoiser().orElseThrow().denoise(new Latent(4, 2, 3, new float[24]), 0.04f, 2);
            assertEquals("decoder,unet", rt.loadedNetworks());
        }
        try (ModelRuntime rt = ModelRuntime.open(Bundle.load(TestBundles.TEST))) {
            rt.autoencoder().encode(RgbImage.blank(16, 8));
            assertEquals("encoder", rt.loadedNetworks());
        }
    }
}
