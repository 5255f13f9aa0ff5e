package dev.sdc.eval.baseline;

import dev.sdc.image.RgbImage;

/**
 * Separable resampling of 8-bit sRGB images for the downscaled baselines (values filtered as stored, in sRGB, as
 * image tools do by default). Pixel centres sit at i + ½, so a scale maps the whole image onto the whole image;
 * out-of-range taps repeat the edge pixel. Each output pixel's weights are normalised to sum to one, so a flat
 * image stays flat; results are rounded and clamped to 0..255.
 */
public final class Resample {
    /** A reconstruction/anti-alias filter; when shrinking, its support widens by the shrink factor. */
    public enum Filter {
        /**
         * Area average: each output pixel is the mean of the input area it covers (weights = overlap lengths).
         * At an exact factor of 2 that is the plain 2×2 mean.
         */
        BOX("box", 0.5),
        /** Catmull–Rom cubic (Keys, a = −½), the usual "bicubic". */
        CUBIC("cubic", 2),
        /** Lanczos windowed sinc, 3 lobes. */
        LANCZOS3("lanczos3", 3);

        private final String label;
        private final double support;

        Filter(String label, double support) {
            this.label = label;
            this.support = support;
        }

        /** Lower-case name used in report lines. */
        public String label() {
            return label;
        }

        /** Weight at distance {@code t} (in units of the filter's own pixels). BOX is handled by overlap instead. */
        double weight(double t) {
            double x = Math.abs(t);
            switch (this) {
                case CUBIC -> {
                    if (x < 1) {
                        return (1.5 * x - 2.5) * x * x + 1;
                    }
                    return x < 2 ? ((-0.5 * x + 2.5) * x - 4) * x + 2 : 0;
                }
                case LANCZOS3 -> {
                    if (x < 1e-9) {
                        return 1;
                    }
                    if (x >= 3) {
                        return 0;
                    }
                    double px = Math.PI * x;
                    return 3 * Math.sin(px) * Math.sin(px / 3) / (px * px);
                }
                default -> {
                    return x < 0.5 ? 1 : 0;
                }
            }
        }
    }

    private Resample() {
    }

    /** {@code src} resampled to {@code width}×{@code height} with {@code filter} on both axes. */
    public static RgbImage resize(RgbImage src, int width, int height, Filter filter) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + width + "x" + height);
        }
        if (width == src.width() && height == src.height()) {
            return new RgbImage(width, height, src.rgb().clone());
        }
        // Horizontal pass into floats (no rounding between passes), then vertical.
        Taps h = taps(src.width(), width, filter);
        Taps v = taps(src.height(), height, filter);
        int sw = src.width();
        byte[] in = src.rgb();
        float[] mid = new float[3 * width * src.height()];
        for (int y = 0; y < src.height(); y++) {
            int row = y * sw;
            for (int x = 0; x < width; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int k = h.start[x]; k < h.start[x + 1]; k++) {
                    int i = 3 * (row + h.index[k]);
                    float w = h.weight[k];
                    r += w * (in[i] & 0xFF);
                    g += w * (in[i + 1] & 0xFF);
                    b += w * (in[i + 2] & 0xFF);
                }
                int o = 3 * (y * width + x);
                mid[o] = r;
                mid[o + 1] = g;
                mid[o + 2] = b;
            }
        }
        byte[] out = new byte[3 * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int k = v.start[y]; k < v.start[y + 1]; k++) {
                    int i = 3 * (v.index[k] * width + x);
                    float w = v.weight[k];
                    r += w * mid[i];
                    g += w * mid[i + 1];
                    b += w * mid[i + 2];
                }
                int o = 3 * (y * width + x);
                out[o] = clamp(r);
                out[o + 1] = clamp(g);
                out[o + 2] = clamp(b);
            }
        }
        return new RgbImage(width, height, out);
    }

    private static byte clamp(float v) {
        int i = Math.round(v);
        return (byte) (i < 0 ? 0 : Math.min(255, i));
    }

    /** Per output pixel o, taps start[o]..start[o+1]-1 of (input index, weight), weights summing to one. */
    private record Taps(int[] start, int[] index, float[] weight) {
    }

    private static Taps taps(int inSize, int outSize, Filter filter) {
        double scale = (double) inSize / outSize; // input pixels per output pixel
        double stretch = Math.max(1, scale); // anti-alias: widen the filter when shrinking
        double support = filter.support * stretch;
        int[] start = new int[outSize + 1];
        int max = (int) Math.ceil(2 * support) + 2;
        int[] index = new int[outSize * max];
        float[] weight = new float[outSize * max];
        int n = 0;
        double[] w = new double[max];
        int[] idx = new int[max];
        for (int o = 0; o < outSize; o++) {
            double centre = (o + 0.5) * scale; // in input coordinates, pixel i spans [i, i+1)
            int lo = (int) Math.floor(centre - support);
            int hi = (int) Math.ceil(centre + support);
            int m = 0;
            double sum = 0;
            for (int i = lo; i < hi; i++) {
                double wi;
                if (filter == Filter.BOX) {
                    // overlap of input pixel [i, i+1) with the footprint [centre - support, centre + support)
                    wi = Math.max(0, Math.min(i + 1, centre + support) - Math.max(i, centre - support));
                } else {
                    wi = filter.weight((i + 0.5 - centre) / stretch);
                }
                if (wi == 0) {
                    continue;
                }
                int clamped = Math.min(inSize - 1, Math.max(0, i));
                // Edge repeats fold into one tap.
                if (m > 0 && idx[m - 1] == clamped) {
                    w[m - 1] += wi;
                } else {
                    idx[m] = clamped;
                    w[m] = wi;
                    m++;
                }
                sum += wi;
            }
            for (int k = 0; k < m; k++) {
                index[n] = idx[k];
                weight[n] = (float) (w[k] / sum);
                n++;
            }
            start[o + 1] = n;
        }
        return new Taps(start, index, weight);
    }
}
