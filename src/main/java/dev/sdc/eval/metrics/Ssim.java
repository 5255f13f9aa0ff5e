package dev.sdc.eval.metrics;

import dev.sdc.image.RgbImage;

/**
 * Structural similarity (Wang et al. 2004) computed per RGB channel and averaged over the three channels,
 * defined exactly as scikit-image's {@code structural_similarity(..., gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=255)}: local statistics through an 11-tap separable Gaussian
 * (σ = 1.5, truncated at 3.5σ) with mirror ("reflect", edge pixel repeated) borders; the 5-pixel border strip
 * is cropped before averaging the SSIM map. K1 = 0.01, K2 = 0.03, L = 255.
 *
 * <p>Per-channel RGB (not luma) was chosen because it is what pytorch_msssim and skimage's multichannel mode
 * compute, so published MS-SSIM numbers on RGB are comparable.
 */
public final class Ssim {
    static final double SIGMA = 1.5;
    static final int RADIUS = 5; // int(3.5 * 1.5 + 0.5), as scipy.ndimage computes it
    static final double C1 = Math.pow(0.01 * 255, 2);
    static final double C2 = Math.pow(0.03 * 255, 2);
    private static final double[] KERNEL = Images.gaussian(SIGMA, RADIUS);

    private Ssim() {
    }

    /** Mean SSIM over the three channels; NaN if a side is smaller than the 11-pixel window. */
    public static double of(RgbImage reference, RgbImage distorted) {
        Images.requireSameSize(reference, distorted);
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += ofPlanes(Images.channel(reference, c), Images.channel(distorted, c))[0];
        }
        return sum / 3;
    }

    /** {mean SSIM, mean contrast-structure term cs} of one channel; NaN when the plane is too small. */
    static double[] ofPlanes(Plane x, Plane y) {
        int w = x.width();
        int h = x.height();
        if (w < 2 * RADIUS + 1 || h < 2 * RADIUS + 1) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] ux = blur(x).v();
        double[] uy = blur(y).v();
        double[] uxx = blur(x.times(x)).v();
        double[] uyy = blur(y.times(y)).v();
        double[] uxy = blur(x.times(y)).v();
        double ssimSum = 0;
        double csSum = 0;
        for (int j = RADIUS; j < h - RADIUS; j++) {
            for (int i = RADIUS; i < w - RADIUS; i++) {
                int k = j * w + i;
                double mx = ux[k];
                double my = uy[k];
                double vx = uxx[k] - mx * mx;
                double vy = uyy[k] - my * my;
                double vxy = uxy[k] - mx * my;
                double cs = (2 * vxy + C2) / (vx + vy + C2);
                ssimSum += (2 * mx * my + C1) / (mx * mx + my * my + C1) * cs;
                csSum += cs;
            }
        }
        double n = (double) (w - 2 * RADIUS) * (h - 2 * RADIUS);
        return new double[] {ssimSum / n, csSum / n};
    }

    /** Separable Gaussian filter with scipy's "reflect" border (d c b a | a b c d). */
    static Plane blur(Plane p) {
        int w = p.width();
        int h = p.height();
        double[] src = p.v();
        double[] tmp = new double[src.length];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int t = -RADIUS; t <= RADIUS; t++) {
                    s += KERNEL[t + RADIUS] * src[row + reflect(x + t, w)];
                }
                tmp[row + x] = s;
            }
        }
        double[] out = new double[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int t = -RADIUS; t <= RADIUS; t++) {
                    s += KERNEL[t + RADIUS] * tmp[reflect(y + t, h) * w + x];
                }
                out[y * w + x] = s;
            }
        }
        return new Plane(w, h, out);
    }

    private static int reflect(int i, int n) {
        // Valid for |overhang| <= n, which holds since n >= 11 > RADIUS.
        if (i < 0) {
            return -i - 1;
        }
        if (i >= n) {
            return 2 * n - i - 1;
        }
        return i;
    }
}
