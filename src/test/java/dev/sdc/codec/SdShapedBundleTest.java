package dev.sdc.codec;

import dev.sdc.bitstream.SdcReader;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.image.RgbImage;
import dev.sdc.model.Bundle;
import dev.sdc.model.Latent;
import dev.sdc.model.ModelRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Java side against an SD 1.x-shaped bundle: testdata/bundles/sd-mini is a reduced-width, random-weight
 * export by scripts/export-sd.py (same architecture and key names as SD 1.5; its outputs are noise, so only
 * shapes, scaling and determinism are asserted, never quality).
 */
class SdShapedBundleTest {
    static final Path SD_MINI = Path.of("testdata/bundles/sd-mini");
    static Bundle bundle;
    static BundleCodec codec;

    @BeforeAll
    static void open() {
        bundle = Bundle.load(SD_MINI);
        codec = new BundleCodec(bundle);
    }

    @AfterAll
    static void close() {
        codec.close();
    }

    static RgbImage gradient(int w, int h) {
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.set(x, y, 0, 255 * x / w);
                img.set(x, y, 1, 255 * y / h);
                img.set(x, y, 2, 128);
            }
        }
        return img;
    }

    @Test
    void manifestCarriesSdParameters() {
        assertArrayEquals(new long[] {1, 77, 768}, bundle.contextShape());
        assertEquals(77 * 768, bundle.readContext().length);
        assertEquals(0.18215, bundle.scale(), 1e-9);
        assertEquals(64, bundle.alignment());
        assertEquals(8, bundle.factor());
        // Bühlmann's 8-bit mapping q = z/0.18215 + 127.5 is the range ±127.5·0.18215.
        assertEquals(-127.5 * 0.18215, bundle.quantMin(), 1e-4);
        assertEquals(127.5 * 0.18215, bundle.quantMax(), 1e-4);
        assertEquals(1000, bundle.trainSteps());
        assertTrue(bundle.hasUnet());
    }

    @Test
    void nonSquareImagePadsToSixtyFourAndRoundTrips() {
        RgbImage image = gradient(100, 150);
        byte[] sdc = codec.encode(image, new EncodeOptions(64, true));
        SdcHeader h = SdcReader.read(sdc).header();
        assertEquals(128 / 8, h.latentWidth());
        assertEquals(192 / 8, h.latentHeight());
        RgbImage back = codec.decode(sdc, DecodeOptions.defaults());
        assertEquals(100, back.width());
        assertEquals(150, back.height());
        assertArrayEquals(back.rgb(), codec.decode(sdc, DecodeOptions.defaults()).rgb(), "decode must be deterministic");
    }

    @Test
    void unetDenoisingWithTheFullContextRunsAndIsDeterministic() {
        try (ModelRuntime runtime = ModelRuntime.open(bundle)) {
            Latent z = runtime.autoencoder().encode(gradient(128, 64));
            assertEquals(4, z.channels());
            assertEquals(8, z.height());
            assertEquals(16, z.width());
            Latent a = runtime.denoiser().orElseThrow().denoise(z, 0.04f, 2);
            Latent b = runtime.denoiser().orElseThrow().denoise(z, 0.04f, 2);
            assertArrayEquals(a.data(), b.data());
            assertNotSame(z, a);
            for (float v : a.data()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void buehlmannPresetIsWrittenAsTheFilesDecodeDefaults() {
        Preset p = Preset.BUEHLMANN;
        byte[] sdc = codec.encode(gradient(64, 64), new EncodeOptions(p.colors(), p.dither(), p.strength(), p.steps()));
        SdcHeader h = SdcReader.read(sdc).header();
        assertEquals(0.016f, h.strength());
        assertEquals(2, h.steps());
        assertEquals(256, p.colors());
    }
}
