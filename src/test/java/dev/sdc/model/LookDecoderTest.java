package dev.sdc.model;

import dev.sdc.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A look's decoder through the real libtorch path: loaded only when asked, kept, tiled like decoder.pt. */
class LookDecoderTest {
    @TempDir
    Path tmp;

    private static Latent latentOf(RgbImage img) {
        try (ModelRuntime rt = ModelRuntime.open(Bundle.load(TestBundles.TEST))) {
            return rt.autoencoder().encode(img);
        }
    }

    @Test
    void aCopyOfDecoderPtRendersExactlyLikeFaithfulAndLoadsOnlyWhenAsked() {
        Bundle bundle = Bundle.load(LookBundles.withSharpLook(tmp.resolve("same"), LookBundles.FAITHFUL_DECODER));
        Latent z = latentOf(ModelRuntimeTest.smoothImage(64, 48));
        try (ModelRuntime rt = ModelRuntime.open(bundle)) {
            RgbImage faithful = rt.autoencoder().decode(z);
            assertEquals("decoder", rt.loadedNetworks(), "the faithful look never loads a look's decoder");
            assertArrayEquals(faithful.rgb(), rt.autoencoder().decode(z, Bundle.FAITHFUL_LOOK).rgb());
            assertEquals("decoder", rt.loadedNetworks());
            RgbImage sharp = rt.autoencoder().decode(z, "sharp");
            assertEquals("decoder,look:sharp", rt.loadedNetworks());
            assertArrayEquals(faithful.rgb(), sharp.rgb());
            // kept for the process: the same model object serves the next call
            assertTrue(rt.decoder("sharp") == rt.decoder("sharp"));
        }
    }

    @Test
    void anotherDecoderRendersDifferentPixelsOfTheSameSize() {
        Bundle bundle = Bundle.load(LookBundles.withSharpLook(tmp.resolve("sharp"), LookBundles.SHARP_DECODER));
        RgbImage img = ModelRuntimeTest.smoothImage(64, 48);
        Latent z = latentOf(img);
        try (ModelRuntime rt = ModelRuntime.open(bundle)) {
            RgbImage sharp = rt.autoencoder().decode(z, "sharp");
            assertEquals("look:sharp", rt.loadedNetworks(), "a sharp-only decode never loads decoder.pt");
            RgbImage faithful = rt.autoencoder().decode(z);
            assertEquals(64, sharp.width());
            assertEquals(48, sharp.height());
            assertFalse(Arrays.equals(faithful.rgb(), sharp.rgb()));
            // still a decoder of the same latent space: close to the original, if less so than the faithful look
            assertTrue(ModelRuntimeTest.psnr(img, sharp) > 25, "PSNR " + ModelRuntimeTest.psnr(img, sharp));
            assertArrayEquals(sharp.rgb(), rt.autoencoder().decode(z, "sharp").rgb(), "deterministic");
        }
    }

    @Test
    void tiledDecodeUsesTheLooksDecoder() {
        Bundle bundle = Bundle.load(LookBundles.withSharpLook(tmp.resolve("tiled"), LookBundles.SHARP_DECODER));
        RgbImage img = ModelRuntimeTest.smoothImage(320, 216);
        Latent z = latentOf(img);
        RgbImage whole;
        try (ModelRuntime rt = ModelRuntime.open(bundle)) {
            whole = rt.autoencoder().decode(z, "sharp");
        }
        try (ModelRuntime rt = ModelRuntime.open(bundle, new MemoryBudget(64 * 64), new MemoryEstimates(1, 1, 1, 32))) {
            TileGrid grid = ((TiledAutoencoder) rt.autoencoder()).decodeGrid(z.width(), z.height());
            assertTrue(grid.columns() * grid.rows() > 1, "tiled");
            RgbImage tiled = rt.autoencoder().decode(z, "sharp");
            assertEquals("look:sharp", rt.loadedNetworks());
            int maxDiff = 0;
            for (int i = 0; i < whole.rgb().length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs((whole.rgb()[i] & 0xFF) - (tiled.rgb()[i] & 0xFF)));
            }
            assertTrue(maxDiff <= 2, "tiled vs untiled sharp look, max diff " + maxDiff);
            assertFalse(Arrays.equals(rt.autoencoder().decode(z).rgb(), tiled.rgb()), "faithful tiles differ");
        }
    }

    @Test
    void anUnknownLookOrAClosedRuntimeIsRefused() {
        Bundle bundle = Bundle.load(LookBundles.withSharpLook(tmp.resolve("b"), LookBundles.SHARP_DECODER));
        Latent z = latentOf(ModelRuntimeTest.smoothImage(16, 16));
        ModelRuntime rt = ModelRuntime.open(bundle);
        ModelException e = assertThrows(ModelException.class, () -> rt.autoencoder().decode(z, "vivid"));
        assertEquals("bundle test has no look 'vivid' (it has: faithful, sharp)", e.getMessage());
        rt.autoencoder().decode(z, "sharp");
        rt.close();
        assertEquals("", rt.loadedNetworks(), "close frees the look's decoder too");
        assertThrows(IllegalStateException.class, () -> rt.decoder("sharp"));
    }
}
