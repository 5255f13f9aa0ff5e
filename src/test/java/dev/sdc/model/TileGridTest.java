package dev.sdc.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The tile planner and its blend weights, without any network. */
class TileGridTest {
    @Test
    void wholeArrayWhenItFits() {
        TileGrid g = TileGrid.plan(640, 480, 640L * 480, 64, 8);
        assertTrue(g.isSingle());
        assertEquals(List.of(new TileGrid.Tile(0, 0, 0, 0, 640, 480)), g.tiles());
        assertEquals(1.0, g.weightSum(0, 0));
        assertFalse(TileGrid.plan(640, 480, 640L * 480 - 1, 64, 8).isSingle());
    }

    @ParameterizedTest(name = "{0}x{1} budget {2} overlap {3} unit {4}")
    @CsvSource({
        "40, 1008, 4096, 16, 8",     // 37x1001 padded to 8
        "1008, 40, 4096, 16, 8",
        "1008, 40, 100, 16, 8",      // budget below the minimum tile: minimum tiles
        "200, 136, 3000, 24, 8",
        "5, 126, 30, 2, 1",          // latent grid of a 37x1001 image, unit 1
        "640, 448, 65536, 64, 64",   // SD-like alignment
        "1000, 1000, 40000, 64, 8",
        "96, 96, 1, 0, 8",           // no overlap: hard cuts
    })
    void tilesCoverEverythingWithPositiveWeights(int w, int h, long budget, int overlap, int unit) {
        TileGrid g = TileGrid.plan(w, h, budget, overlap, unit);
        int ov = TileGrid.alignUp(overlap, unit);
        long minSide = 2L * ov + unit;
        assertTrue(g.maxTilePixels() <= Math.max(budget, minSide * minSide), "tile " + g.maxTilePixels());
        double[] sum = new double[w * h];
        int[] covered = new int[w * h];
        for (TileGrid.Tile t : g.tiles()) {
            assertEquals(0, t.x() % unit);
            assertEquals(0, t.y() % unit);
            assertEquals(0, t.width() % unit);
            assertEquals(0, t.height() % unit);
            assertTrue(t.x() >= 0 && t.y() >= 0 && t.x() + t.width() <= w && t.y() + t.height() <= h, t.toString());
            for (int y = t.y(); y < t.y() + t.height(); y++) {
                for (int x = t.x(); x < t.x() + t.width(); x++) {
                    double wt = g.weight(t, x, y);
                    assertTrue(wt >= 0 && wt <= 1);
                    sum[y * w + x] += wt;
                    covered[y * w + x]++;
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertTrue(covered[y * w + x] > 0, "uncovered " + x + "," + y);
                assertEquals(sum[y * w + x], g.weightSum(x, y), 1e-9);
                // Some tile weighs at least 1/2 along each axis, so the product is at least 1/4.
                assertTrue(sum[y * w + x] >= 0.25 - 1e-9, "weight sum " + sum[y * w + x] + " at " + x + "," + y);
            }
        }
        // Neighbours overlap by at least the requested overlap.
        List<TileGrid.Tile> tiles = g.tiles();
        for (TileGrid.Tile a : tiles) {
            for (TileGrid.Tile b : tiles) {
                if (b.row() == a.row() && b.column() == a.column() + 1) {
                    assertTrue(a.x() + a.width() - b.x() >= ov, a + " / " + b);
                }
                if (b.column() == a.column() && b.row() == a.row() + 1) {
                    assertTrue(a.y() + a.height() - b.y() >= ov, a + " / " + b);
                }
            }
        }
    }

    @Test
    void blendIsAPartitionOfUnity() {
        TileGrid g = TileGrid.plan(200, 136, 3000, 24, 8);
        assertTrue(g.columns() > 1 && g.rows() > 1, g.columns() + "x" + g.rows());
        // A "network" whose output depends only on global position must come back exactly (up to rounding).
        float[] out = g.blend(2, t -> {
            float[] r = new float[2 * t.width() * t.height()];
            for (int y = 0; y < t.height(); y++) {
                for (int x = 0; x < t.width(); x++) {
                    r[y * t.width() + x] = 3f;
                    r[t.width() * t.height() + y * t.width() + x] = (t.x() + x) * 0.5f + (t.y() + y);
                }
            }
            return r;
        });
        int plane = 200 * 136;
        for (int y = 0; y < 136; y++) {
            for (int x = 0; x < 200; x++) {
                assertEquals(3f, out[y * 200 + x], 1e-5f);
                assertEquals(x * 0.5f + y, out[plane + y * 200 + x], 1e-3f);
            }
        }
    }

    @Test
    void stripsWhenOneSideFits() {
        TileGrid g = TileGrid.plan(1008, 40, 40 * 200, 16, 8);
        assertEquals(1, g.rows());
        assertTrue(g.columns() > 1);
        assertEquals(40, g.tiles().get(0).height());
    }

    @Test
    void scalingKeepsTilesAligned() {
        TileGrid latent = TileGrid.plan(25, 17, 100, 2, 1);
        TileGrid pixels = latent.scaledUp(8);
        assertEquals(200, pixels.width());
        assertEquals(136, pixels.height());
        assertEquals(latent.tiles().size(), pixels.tiles().size());
        TileGrid.Tile a = latent.tiles().get(1);
        TileGrid.Tile b = pixels.tiles().get(1);
        assertEquals(a.x() * 8, b.x());
        assertEquals(a.width() * 8, b.width());
        assertEquals(latent.tiles(), pixels.scaledDown(8).tiles());
        assertThrows(IllegalArgumentException.class, () -> TileGrid.plan(25, 17, 100, 2, 1).scaledDown(2));
        assertThrows(IllegalArgumentException.class, () -> TileGrid.plan(30, 16, 100, 2, 8));
    }
}
