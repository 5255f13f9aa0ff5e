package dev.sdc.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A grid of overlapping tiles over a {@code width × height} array, and the blending weights that stitch
 * per-tile results back together without visible seams.
 *
 * <p>Tiles start on multiples of {@code unit} (the network's alignment in the grid's units) and neighbours
 * overlap by at least {@code overlap}. Weights are separable: along each axis a tile weighs 1 in its interior
 * and, towards an edge it shares with a neighbour, 0 in the outer quarter of the overlap (where the network
 * saw a truncated receptive field) with a linear ramp over the middle half. So in every overlap at least one
 * tile weighs 1/2 or more, the weight sum is positive everywhere, and results are normalised by it. A grid
 * of one tile is the untiled path: callers run the network once on the whole array.
 */
public final class TileGrid {
    /** One tile: top-left corner and size, in the grid's units. */
    public record Tile(int column, int row, int x, int y, int width, int height) {
    }

    private final Axis xs;
    private final Axis ys;

    private TileGrid(Axis xs, Axis ys) {
        this.xs = xs;
        this.ys = ys;
    }

    /**
     * Plans tiles of at most {@code maxTilePixels} (tile area, overlap included) over a {@code width × height}
     * array. Uses one tile when the whole array fits. Otherwise tiles are as large as the budget allows: full
     * height (or width) strips when one side fits, else squares. A tile side never drops below
     * {@code 2·overlap + unit}, so a budget that is too small for that is exceeded rather than refused.
     *
     * @param unit    tile starts and sizes are multiples of it; {@code width} and {@code height} must be too
     * @param overlap minimum overlap of neighbours; rounded up to a multiple of {@code unit}
     */
    public static TileGrid plan(int width, int height, long maxTilePixels, int overlap, int unit) {
        if (unit < 1 || overlap < 0 || width < 1 || height < 1) {
            throw new IllegalArgumentException("bad tile plan " + width + "x" + height + ", overlap " + overlap + ", unit " + unit);
        }
        if (width % unit != 0 || height % unit != 0) {
            throw new IllegalArgumentException(width + "x" + height + " is not a multiple of " + unit);
        }
        int ov = alignUp(overlap, unit);
        if ((long) width * height <= maxTilePixels) {
            return new TileGrid(Axis.single(width), Axis.single(height));
        }
        int minSide = 2 * ov + unit;
        long area = Math.max(maxTilePixels, (long) minSide * minSide);
        int side = Math.max(minSide, alignDown((int) Math.min(Integer.MAX_VALUE, (long) Math.sqrt((double) area)), unit));
        int tileW;
        int tileH;
        if (height <= side) {
            tileH = height;
            tileW = Math.max(minSide, alignDown((int) Math.min(width, area / height), unit));
        } else if (width <= side) {
            tileW = width;
            tileH = Math.max(minSide, alignDown((int) Math.min(height, area / width), unit));
        } else {
            tileW = side;
            tileH = side;
        }
        return new TileGrid(Axis.of(width, tileW, ov, unit), Axis.of(height, tileH, ov, unit));
    }

    public int width() {
        return xs.size;
    }

    public int height() {
        return ys.size;
    }

    public int columns() {
        return xs.count();
    }

    public int rows() {
        return ys.count();
    }

    public boolean isSingle() {
        return xs.count() == 1 && ys.count() == 1;
    }

    /** Tiles in row-major order. */
    public List<Tile> tiles() {
        List<Tile> out = new ArrayList<>();
        for (int r = 0; r < ys.count(); r++) {
            for (int c = 0; c < xs.count(); c++) {
                out.add(new Tile(c, r, xs.starts[c], ys.starts[r], xs.lengths[c], ys.lengths[r]));
            }
        }
        return out;
    }

    /** The largest tile area, for diagnostics and tests. */
    public long maxTilePixels() {
        long m = 0;
        for (int l : xs.lengths) {
            for (int k : ys.lengths) {
                m = Math.max(m, (long) l * k);
            }
        }
        return m;
    }

    /** The same tiles with every coordinate multiplied by {@code k} (latent grid to pixel grid). */
    public TileGrid scaledUp(int k) {
        return new TileGrid(xs.scaled(k, 1), ys.scaled(k, 1));
    }

    /** The same tiles with every coordinate divided by {@code k}, which must divide them all. */
    public TileGrid scaledDown(int k) {
        return new TileGrid(xs.scaled(1, k), ys.scaled(1, k));
    }

    /** Blend weight of {@code tile} at grid position (x, y), which must lie inside the tile. */
    public double weight(Tile tile, int x, int y) {
        return xs.weight(tile.column(), x) * ys.weight(tile.row(), y);
    }

    /** Sum of all tiles' weights at (x, y); positive everywhere. */
    public double weightSum(int x, int y) {
        return xs.weightSum[x] * ys.weightSum[y];
    }

    /**
     * Runs {@code network} on every tile and blends the planar {@code [channels, h, w]} results into one
     * planar {@code [channels, height, width]} array (normalised by the weight sum).
     */
    public float[] blend(int channels, Function<Tile, float[]> network) {
        int w = width();
        int h = height();
        int plane = Math.multiplyExact(w, h);
        float[] acc = new float[Math.multiplyExact(channels, plane)];
        for (Tile t : tiles()) {
            float[] out = network.apply(t);
            int tp = t.width() * t.height();
            if (out.length != channels * tp) {
                throw new IllegalStateException("tile result has " + out.length + " values, expected " + channels * tp);
            }
            for (int ty = 0; ty < t.height(); ty++) {
                double wy = ys.weight(t.row(), t.y() + ty);
                if (wy == 0) {
                    continue;
                }
                for (int tx = 0; tx < t.width(); tx++) {
                    float wgt = (float) (wy * xs.weight(t.column(), t.x() + tx));
                    if (wgt == 0) {
                        continue;
                    }
                    int dst = (t.y() + ty) * w + t.x() + tx;
                    int src = ty * t.width() + tx;
                    for (int c = 0; c < channels; c++) {
                        acc[c * plane + dst] += wgt * out[c * tp + src];
                    }
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float inv = (float) (1.0 / weightSum(x, y));
                for (int c = 0; c < channels; c++) {
                    acc[c * plane + y * w + x] *= inv;
                }
            }
        }
        return acc;
    }

    static int alignUp(int v, int unit) {
        return Math.toIntExact(((long) v + unit - 1) / unit * unit);
    }

    static int alignDown(int v, int unit) {
        return v / unit * unit;
    }

    /** Tiles along one axis. */
    private static final class Axis {
        final int size;
        final int overlap;
        final int[] starts;
        final int[] lengths;
        final double[] weightSum;

        Axis(int size, int overlap, int[] starts, int[] lengths) {
            this.size = size;
            this.overlap = overlap;
            this.starts = starts;
            this.lengths = lengths;
            this.weightSum = new double[size];
            for (int i = 0; i < starts.length; i++) {
                for (int p = starts[i]; p < starts[i] + lengths[i]; p++) {
                    weightSum[p] += weight(i, p);
                }
            }
        }

        static Axis single(int size) {
            return new Axis(size, 0, new int[] {0}, new int[] {size});
        }

        /**
         * n tiles of equal length L ≤ maxTile spread evenly: n is the fewest with stride maxTile − overlap, L
         * the smallest unit multiple that still makes neighbours overlap by at least {@code overlap}.
         */
        static Axis of(int size, int maxTile, int overlap, int unit) {
            if (size <= maxTile) {
                return single(size);
            }
            int stride = maxTile - overlap;
            int n = (int) ((size - overlap + (long) stride - 1) / stride);
            int len = alignUp((int) ((size + (long) (n - 1) * overlap + n - 1) / n), unit);
            // Keep every tile wider than its two ramps so interior weights reach 1.
            len = Math.min(maxTile, Math.max(len, 2 * overlap + unit));
            int[] starts = new int[n];
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                starts[i] = i == n - 1 ? size - len : alignDown((int) ((long) i * (size - len) / (n - 1)), unit);
                lengths[i] = len;
            }
            return new Axis(size, overlap, starts, lengths);
        }

        int count() {
            return starts.length;
        }

        Axis scaled(int num, int den) {
            int[] s = new int[starts.length];
            int[] l = new int[lengths.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = exact(starts[i], num, den);
                l[i] = exact(lengths[i], num, den);
            }
            return new Axis(exact(size, num, den), exact(overlap, num, den), s, l);
        }

        private static int exact(int v, int num, int den) {
            long p = (long) v * num;
            if (p % den != 0) {
                throw new IllegalArgumentException(v + " is not divisible by " + den);
            }
            return Math.toIntExact(p / den);
        }

        /** Weight of tile i at position p: ramps only towards edges shared with a neighbour. */
        double weight(int i, int p) {
            if (overlap == 0 || starts.length == 1) {
                return 1;
            }
            double w = 1;
            if (i > 0) {
                w = Math.min(w, ramp(p - starts[i] + 0.5));
            }
            if (i < starts.length - 1) {
                w = Math.min(w, ramp(starts[i] + lengths[i] - p - 0.5));
            }
            return w;
        }

        /** 0 for the outer quarter of the overlap, then linear to 1 at three quarters. */
        private double ramp(double distanceFromEdge) {
            double v = (distanceFromEdge - overlap / 4.0) / (overlap / 2.0);
            return Math.max(0, Math.min(1, v));
        }
    }
}
