package dev.sdc.eval.metrics;

import dev.sdc.image.RgbImage;

/**
 * Fine-detail energy kept: the energy of a Laplacian of Gaussian (σ = 1) on luma, decoded over original.
 * 1.0 means as much fine detail as the original; a blurring codec scores below 1, one that adds noise or
 * invents texture can score above. It says how much detail there is, not whether it is the right detail:
 * read it beside PSNR and butteraugli (issue 14's rule for the `sharp` look).
 *
 * <p>Definition (shared with scripts/train/train_base.py {@code detail_ratio}, which must give the same
 * number): luma Y = 0.299 R + 0.587 G + 0.114 B on 0..255 values; the LoG as the separable sum
 * g''(x)·g(y) + g(x)·g''(y) of a sampled Gaussian g (radius 4σ, normalised to sum 1) and its second
 * derivative g'' (shifted to sum 0, so that a flat image has exactly no response); energy = the sum of
 * squared responses over the pixels whose whole 9×9 support lies inside the image (no padding rule can
 * then add or hide detail at the border). NaN when the original has no detail energy or the image is
 * smaller than the support.
 */
public final class DetailRatio {
    /** σ of the Gaussian, pixels. */
    public static final double SIGMA = 1.0;
    /** Kernel radius: 4σ. */
    static final int RADIUS = 4;
    /** Mean squared response below which an original counts as having no fine detail (one 8-bit step gives ~1e-2). */
    static final double NO_DETAIL = 1e-12;
    private static final double[] G = Images.gaussian(SIGMA, RADIUS);
    private static final double[] G2 = secondDerivative();

    private DetailRatio() {
    }

    public static double of(RgbImage reference, RgbImage distorted) {
        Images.requireSameSize(reference, distorted);
        double e = energy(reference);
        long support = (long) Math.max(0, reference.width() - 2 * RADIUS) * Math.max(0, reference.height() - 2 * RADIUS);
        // a flat original leaves rounding residue (~1e-28 per pixel), not detail: no ratio to speak of
        return e > NO_DETAIL * support ? energy(distorted) / e : Double.NaN;
    }

    /** Sum of squared LoG responses of the image's luma over the fully supported pixels; 0 if there are none. */
    static double energy(RgbImage image) {
        int w = image.width();
        int h = image.height();
        if (w <= 2 * RADIUS || h <= 2 * RADIUS) {
            return 0;
        }
        double[] y = luma(image);
        // horizontal passes over every row, only at columns with full support
        int iw = w - 2 * RADIUS;
        double[] rowG = new double[iw * h];
        double[] rowG2 = new double[iw * h];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < iw; c++) {
                double sg = 0;
                double sg2 = 0;
                int base = r * w + c;
                for (int k = 0; k <= 2 * RADIUS; k++) {
                    double v = y[base + k];
                    sg += G[k] * v;
                    sg2 += G2[k] * v;
                }
                rowG[r * iw + c] = sg;
                rowG2[r * iw + c] = sg2;
            }
        }
        double sum = 0;
        for (int r = RADIUS; r < h - RADIUS; r++) {
            for (int c = 0; c < iw; c++) {
                double response = 0;
                for (int k = 0; k <= 2 * RADIUS; k++) {
                    int i = (r - RADIUS + k) * iw + c;
                    // g''(x) g(y) + g(x) g''(y): rowG2 then G vertically, rowG then G2 vertically
                    response += G[k] * rowG2[i] + G2[k] * rowG[i];
                }
                sum += response * response;
            }
        }
        return sum;
    }

    private static double[] luma(RgbImage image) {
        byte[] rgb = image.rgb();
        double[] y = new double[rgb.length / 3];
        for (int i = 0; i < y.length; i++) {
            y[i] = 0.299 * (rgb[3 * i] & 0xFF) + 0.587 * (rgb[3 * i + 1] & 0xFF) + 0.114 * (rgb[3 * i + 2] & 0xFF);
        }
        return y;
    }

    /** g''(x) = g(x) (x² − σ²) / σ⁴ on the normalised g, minus its mean so that it sums to exactly 0. */
    private static double[] secondDerivative() {
        double[] d = new double[2 * RADIUS + 1];
        double mean = 0;
        for (int k = 0; k < d.length; k++) {
            double x = k - RADIUS;
            d[k] = G[k] * (x * x - SIGMA * SIGMA) / (SIGMA * SIGMA * SIGMA * SIGMA);
            mean += d[k] / d.length;
        }
        for (int k = 0; k < d.length; k++) {
            d[k] -= mean;
        }
        return d;
    }
}
