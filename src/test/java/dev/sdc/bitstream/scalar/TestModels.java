package dev.sdc.bitstream.scalar;

import java.util.Random;

/** Context models for tests: discretised Laplace tables, wider in busier contexts. */
final class TestModels {
    private TestModels() {
    }

    /** A table for values −m … m (2m + 1 symbols) with Laplace scale {@code b}, escape weight 1/2^12. */
    static CdfTable laplace(int m, double b, int precision) {
        int n = 2 * m + 1;
        double[] p = new double[n + 1];
        double sum = 0;
        for (int s = 0; s < n; s++) {
            p[s] = Math.exp(-Math.abs(s - m) / b);
            sum += p[s];
        }
        double esc = 1.0 / 4096;
        int total = 1 << precision;
        int[] f = new int[n + 1];
        long acc = 0;
        for (int s = 0; s < n; s++) {
            f[s] = Math.max(1, (int) Math.floor(p[s] / sum * (1 - esc) * total));
            acc += f[s];
        }
        f[n] = Math.max(1, (int) (total - acc));
        acc += f[n];
        // give back any excess from the largest symbol (the centre)
        f[m] -= (int) (acc - total);
        return CdfTable.of(-m, f, precision);
    }

    static ContextModel model(int channels, int[] thresholds, int m, int precision) {
        CdfTable[][] t = new CdfTable[channels][thresholds.length + 1];
        for (int c = 0; c < channels; c++) {
            for (int k = 0; k <= thresholds.length; k++) {
                t[c][k] = laplace(m, 0.6 + k + 0.3 * c, precision);
            }
        }
        return new ContextModel(thresholds, t);
    }

    static ContextModel standard() {
        return model(4, new int[] {1, 2, 4, 8}, 15, 16);
    }

    /** Laplace-distributed integers of scale {@code b}, the shape the coder is built for. */
    static int[][][] laplaceLatent(Random rnd, int c, int h, int w, double b) {
        int[][][] q = new int[c][h][w];
        for (int[][] plane : q) {
            for (int[] row : plane) {
                for (int x = 0; x < w; x++) {
                    double u = rnd.nextDouble() - 0.5;
                    row[x] = (int) Math.round(-b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
                }
            }
        }
        return q;
    }
}
