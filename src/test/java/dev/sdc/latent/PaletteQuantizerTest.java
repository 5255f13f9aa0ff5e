package dev.sdc.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdc.bitstream.FormatException;
import dev.sdc.model.Latent;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PaletteQuantizerTest {
    private final LatentQuantizer q = new LatentQuantizer(-4f, 4f);
    private final PaletteQuantizer pq = new PaletteQuantizer();

    /** Smooth planar [4, h, w] latent in raw units, mostly inside ±4. */
    private static Latent smooth(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int c = 4;
        float[] data = new float[c * h * w];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    data[(k * h + y) * w + x] = (float) (2 * Math.sin(0.1 * x + k) * Math.cos(0.13 * y - k)
                            + 0.3 * r.nextGaussian());
                }
            }
        }
        return new Latent(c, h, w, data);
    }

    @Test
    void roundTripShapeAndLimits() {
        Latent raw = smooth(24, 16, 1);
        PaletteLatent p = pq.quantize(raw, q, 32, true);
        assertEquals(4, p.channels());
        assertEquals(24, p.width());
        assertEquals(16, p.height());
        assertTrue(p.paletteSize() <= 32);
        for (int i : p.indices()) {
            assertTrue(i >= 0 && i < p.paletteSize());
        }
        Latent back = pq.dequantize(p, q);
        assertEquals(4, back.channels());
        assertEquals(16, back.height());
        assertEquals(24, back.width());
        // planar layout: channel k of pixel (y, x) is palette entry indices[y*w+x], code k
        int px = 5 * 24 + 7;
        assertEquals(q.value(p.code(p.indices()[px], 2)), back.get(2, 5, 7));
    }

    @Test
    void losslessUpToEightBitsWhenFewColours() {
        int w = 10, h = 6, c = 4;
        float[] data = new float[c * h * w];
        for (int i = 0; i < h * w; i++) {
            int colour = (i * 7) % 5;
            for (int k = 0; k < c; k++) {
                data[k * h * w + i] = q.value(40 * colour + 10 * k);
            }
        }
        Latent raw = new Latent(c, h, w, data);
        for (boolean dither : new boolean[] {true, false}) {
            PaletteLatent p = pq.quantize(raw, q, 256, dither);
            assertEquals(5, p.paletteSize());
            assertArrayEquals(data, pq.dequantize(p, q).data());
        }
    }

    @Test
    void ditheredDequantizedMeanMatchesTheInputPerChannel() {
        Latent raw = smooth(48, 32, 2);
        Latent back = pq.dequantize(pq.quantize(raw, q, 8, true), q);
        int n = raw.pixels();
        float step = 8f / 255;
        for (int k = 0; k < 4; k++) {
            double in = 0, out = 0;
            for (int i = 0; i < n; i++) {
                in += Math.max(-4f, Math.min(4f, raw.data()[k * n + i]));
                out += back.data()[k * n + i];
            }
            assertEquals(in / n, out / n, 2 * step, "channel " + k);
        }
    }

    @Test
    void deterministic() {
        Latent raw = smooth(30, 20, 3);
        PaletteLatent a = pq.quantize(raw, q, 64, true);
        PaletteLatent b = new PaletteQuantizer().quantize(raw, q, 64, true);
        assertArrayEquals(a.palette(), b.palette());
        assertArrayEquals(a.indices(), b.indices());
    }

    @Test
    void nearestModeMapsEachPixelToItsNearestEntry() {
        Latent raw = smooth(20, 12, 4);
        PaletteLatent p = pq.quantize(raw, q, 16, false);
        Palette palette = Palette.of(p);
        float[] positions = q.positions(raw);
        for (int i = 0; i < raw.pixels(); i++) {
            assertEquals(palette.nearest(positions, i * 4), p.indices()[i]);
        }
    }

    @Test
    void dequantizeRejectsIndicesOutsideThePalette() {
        PaletteLatent bad = new PaletteLatent(1, 2, 1, new byte[] {0, 1}, 2, new int[] {0, 2});
        FormatException e = assertThrows(FormatException.class, () -> pq.dequantize(bad, q));
        assertTrue(e.getMessage().contains("palette index 2"));
    }
}
