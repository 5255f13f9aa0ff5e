package dev.sdc.eval.metrics;

/** A row-major plane of doubles; the working type of SSIM and MS-SSIM. */
record Plane(int width, int height, double[] v) {
    double at(int x, int y) {
        return v[y * width + x];
    }

    /** Element-wise product. */
    Plane times(Plane o) {
        double[] r = new double[v.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = v[i] * o.v[i];
        }
        return new Plane(width, height, r);
    }

    /**
     * 2×2 average pooling. An odd last row or column is dropped (pytorch_msssim instead zero-pads; dropping
     * keeps every output pixel an average of real pixels).
     */
    Plane halve() {
        int w = width / 2;
        int h = height / 2;
        double[] r = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r[y * w + x] = (at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) + at(2 * x + 1, 2 * y + 1)) / 4.0;
            }
        }
        return new Plane(w, h, r);
    }
}
