package dev.sdc.eval.metrics;

import dev.sdc.image.RgbImage;

/**
 * Multi-scale SSIM (Wang, Simoncelli, Bovik 2003) on RGB, as pytorch_msssim combines it: per channel, the
 * mean contrast-structure term cs at scales 1–4 and the full SSIM at scale 5 ({@link Ssim}'s definition at
 * every scale), each clamped at 0, combined as ∏ cs_i^w_i · ssim_5^w_5 with weights 0.0448, 0.2856, 0.3001,
 * 0.2363, 0.1333; scales are 2×2 average pools; the result is the mean over the three channels.
 * Needs both sides ≥ 176 pixels (the fifth scale must still hold an 11-pixel window), else NaN.
 */
public final class MsSsim {
    static final double[] WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};

    private MsSsim() {
    }

    public static double of(RgbImage reference, RgbImage distorted) {
        Images.requireSameSize(reference, distorted);
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += ofPlanes(Images.channel(reference, c), Images.channel(distorted, c));
        }
        return sum / 3;
    }

    private static double ofPlanes(Plane x, Plane y) {
        double value = 1;
        for (int i = 0; i < WEIGHTS.length; i++) {
            double[] sc = Ssim.ofPlanes(x, y);
            double term = i == WEIGHTS.length - 1 ? sc[0] : sc[1];
            if (Double.isNaN(term)) {
                return Double.NaN;
            }
            value *= Math.pow(Math.max(term, 0), WEIGHTS[i]);
            if (i < WEIGHTS.length - 1) {
                x = x.halve();
                y = y.halve();
            }
        }
        return value;
    }
}
