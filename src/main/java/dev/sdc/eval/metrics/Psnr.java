package dev.sdc.eval.metrics;

import dev.sdc.image.RgbImage;

/** Peak signal-to-noise ratio of two 8-bit RGB images: 10·log10(255² / MSE), MSE over all pixels and channels. */
public final class Psnr {
    private Psnr() {
    }

    /**
     * The PSNR a report gives an exact copy: a finite value, so that a lossless row (a baseline at its top
     * quality on a flat image) does not make its codec's mean infinite and drop it from the RD plot. A row above
     * it is near-lossless (100 dB: one 8-bit level off in about 150,000 samples) and is shown as 100.
     */
    public static final double REPORT_CAP_DB = 100;

    /** PSNR in dB capped at {@link #REPORT_CAP_DB}: what eval reports. */
    public static double capped(RgbImage reference, RgbImage distorted) {
        return Math.min(REPORT_CAP_DB, of(reference, distorted));
    }

    /** PSNR in dB; {@link Double#POSITIVE_INFINITY} for identical images. */
    public static double of(RgbImage reference, RgbImage distorted) {
        Images.requireSameSize(reference, distorted);
        byte[] a = reference.rgb();
        byte[] b = distorted.rgb();
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            int d = (a[i] & 0xFF) - (b[i] & 0xFF);
            sum += (long) d * d;
        }
        if (sum == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double mse = (double) sum / a.length;
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
