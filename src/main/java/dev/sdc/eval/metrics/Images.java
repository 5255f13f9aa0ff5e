package dev.sdc.eval.metrics;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.image.RgbImage;

/** Helpers shared by the metrics: size checks and planar float channels. */
final class Images {
    private Images() {
    }

    static void requireSameSize(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot compare images of different sizes: "
                    + a.width() + "x" + a.height() + " vs " + b.width() + "x" + b.height());
        }
    }

    /** A sampled Gaussian exp(−t²/2σ²), t = −radius..radius, normalised to sum 1 (SSIM's window, DetailRatio's g). */
    static double[] gaussian(double sigma, int radius) {
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int t = -radius; t <= radius; t++) {
            k[t + radius] = Math.exp(-0.5 * t * t / (sigma * sigma));
            sum += k[t + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** One colour channel (0=R, 1=G, 2=B) as a row-major double plane with values 0..255. */
    static Plane channel(RgbImage image, int c) {
        int w = image.width();
        int h = image.height();
        double[] v = new double[w * h];
        byte[] rgb = image.rgb();
        for (int i = 0; i < v.length; i++) {
            v[i] = rgb[3 * i + c] & 0xFF;
        }
        return new Plane(w, h, v);
    }
}
