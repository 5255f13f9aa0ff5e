package dev.sdc.model;

import dev.sdc.image.Padding;
import dev.sdc.image.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Tiled encoder, decoder and UNet against the untiled path, on the committed test bundle. */
class TilingTest {
    private static Bundle bundle;
    private static ModelRuntime untiled;

    @BeforeAll
    static void open() {
        bundle = Bundle.load(TestBundles.TEST);
        untiled = ModelRuntime.open(bundle, MemoryBudget.UNLIMITED);
    }

    @AfterAll
    static void close() {
        untiled.close();
    }

    /** One byte per pixel and a budget in pixels: tiny tiles on small images. */
    private static ModelRuntime tiled(long tilePixels, int overlapPx) {
        return ModelRuntime.open(bundle, new MemoryBudget(tilePixels), new MemoryEstimates(1, 1, 1, overlapPx));
    }

    private static RgbImage gradient(int w, int h) {
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.set(x, y, 0, 40 + 160 * x / (w - 1));
                img.set(x, y, 1, 200 - 120 * y / (h - 1));
                img.set(x, y, 2, 60 + 50 * (x + y) / (w + h - 2));
            }
        }
        return img;
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void singleTileIsBitIdenticalToTheUntiledNetwork() {
        RgbImage img = ModelRuntimeTest.smoothImage(64, 48);
        try (ModelRuntime rt = ModelRuntime.open(bundle)) {
            TorchAutoencoder raw = new TorchAutoencoder(rt);
            Latent z = raw.encode(img);
            assertArrayEquals(z.data(), rt.autoencoder().encode(img).data());
            assertArrayEquals(raw.decode(z).rgb(), rt.autoencoder().decode(z).rgb());
            Latent d = new DdimSampler(bundle, new TorchNoisePredictor(rt)).denoise(z, 0.04f, 2);
            assertArrayEquals(d.data(), rt.denoiser().orElseThrow().denoise(z, 0.04f, 2).data());
        }
    }

    @Test
    void tiledEncodeMatchesUntiled() {
        // 37x1001 padded to 40x1008; tiles of 32x32 px... at least the minimum 2*16+8 = 40 px side.
        RgbImage img = Padding.padToMultiple(ModelRuntimeTest.smoothImage(37, 1001), 8);
        try (ModelRuntime rt = tiled(40 * 64, 16)) {
            TiledAutoencoder ae = (TiledAutoencoder) rt.autoencoder();
            TileGrid grid = ae.encodeGrid(img.width(), img.height());
            assertTrue(grid.tiles().size() > 10, "tiles: " + grid.tiles().size());
            Latent a = untiled.autoencoder().encode(img);
            Latent b = rt.autoencoder().encode(img);
            assertEquals(a.height(), b.height());
            assertEquals(a.width(), b.width());
            // The test encoder is block-local, so tiles see exactly what the whole image sees.
            assertTrue(maxAbsDiff(a.data(), b.data()) < 1e-5f, "diff " + maxAbsDiff(a.data(), b.data()));
        }
    }

    @Test
    void tiledDecodeOfASmoothImageHasNoSeams() {
        int w = 320;
        int h = 216;
        Latent z = untiled.autoencoder().encode(gradient(w, h));
        RgbImage whole = untiled.autoencoder().decode(z);
        try (ModelRuntime rt = tiled(64 * 64, 32)) {
            TiledAutoencoder ae = (TiledAutoencoder) rt.autoencoder();
            TileGrid grid = ae.decodeGrid(z.width(), z.height()).scaledUp(8);
            assertTrue(grid.columns() >= 3 && grid.rows() >= 2, grid.columns() + "x" + grid.rows());
            RgbImage tiledOut = rt.autoencoder().decode(z);
            int maxDiff = 0;
            for (int i = 0; i < whole.rgb().length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs((whole.rgb()[i] & 0xFF) - (tiledOut.rgb()[i] & 0xFF)));
            }
            assertTrue(maxDiff <= 1, "tiled vs untiled max diff " + maxDiff);
            // Horizontal neighbour steps across every tile border vs. everywhere else.
            boolean[] border = new boolean[w];
            for (TileGrid.Tile t : grid.tiles()) {
                if (t.x() > 0) {
                    border[t.x()] = true;
                }
                if (t.x() + t.width() < w) {
                    border[t.x() + t.width()] = true;
                }
            }
            int stepAtBorders = 0;
            int stepInside = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 1; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        int d = Math.abs(tiledOut.get(x, y, c) - tiledOut.get(x - 1, y, c));
                        if (border[x]) {
                            stepAtBorders = Math.max(stepAtBorders, d);
                        } else {
                            stepInside = Math.max(stepInside, d);
                        }
                    }
                }
            }
            assertTrue(stepAtBorders <= stepInside + 1, "border step " + stepAtBorders + " vs inside " + stepInside);
        }
    }

    @Test
    void tiledDenoiseMatchesUntiled() {
        Latent z = untiled.autoencoder().encode(Padding.padToMultiple(ModelRuntimeTest.smoothImage(150, 101), 8));
        Latent a = untiled.denoiser().orElseThrow().denoise(z, 0.04f, 2);
        try (ModelRuntime rt = tiled(8 * 8, 32)) {
            TiledNoisePredictor p = new TiledNoisePredictor(new TorchNoisePredictor(rt), bundle,
                    new MemoryEstimates(1, 1, 1, 32), new MemoryBudget(64));
            assertTrue(p.grid(z.width(), z.height()).tiles().size() > 4);
            Latent b = rt.denoiser().orElseThrow().denoise(z, 0.04f, 2);
            float diff = maxAbsDiff(a.data(), b.data());
            // The test UNet looks one latent pixel around; the ramps ignore a tile's outer latent pixel.
            assertTrue(diff < 1e-5f, "diff " + diff);
            float change = maxAbsDiff(a.data(), z.data());
            assertTrue(change > 1e-3f, "denoising did something: " + change);
        }
    }

    @Test
    void oddSizeThroughTiledEncodeAndDecode() {
        RgbImage img = ModelRuntimeTest.smoothImage(37, 1001);
        RgbImage padded = Padding.padToMultiple(img, 8);
        try (ModelRuntime rt = tiled(48 * 48, 16)) {
            Latent z = rt.autoencoder().encode(padded);
            RgbImage out = Padding.crop(rt.autoencoder().decode(z), 37, 1001);
            RgbImage ref = Padding.crop(untiled.autoencoder().decode(untiled.autoencoder().encode(padded)), 37, 1001);
            assertTrue(ModelRuntimeTest.psnr(ref, out) > 50, "psnr " + ModelRuntimeTest.psnr(ref, out));
        }
    }
}
