package dev.sdc.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A DDPM noise schedule and the deterministic DDIM (η = 0) steps sdc takes on it, exactly as docs/MODELS.md
 * "Denoising" defines them. Everything is computed in double precision so that results do not depend on
 * the platform.
 */
public final class DdimSchedule {
    public static final String SCALED_LINEAR = "scaled_linear";
    public static final String LINEAR = "linear";

    private final double[] alphasCumprod;

    private DdimSchedule(double[] alphasCumprod) {
        this.alphasCumprod = alphasCumprod;
    }

    /**
     * Builds the schedule: {@code linear} betas are {@code linspace(b0, b1, T)}, {@code scaled_linear} betas
     * are {@code linspace(√b0, √b1, T)²}; ᾱ_t is the running product of {@code 1 − β}.
     */
    public static DdimSchedule of(String type, double betaStart, double betaEnd, int trainSteps) {
        if (trainSteps < 2) {
            throw new IllegalArgumentException("train_steps must be >= 2, got " + trainSteps);
        }
        boolean scaled;
        if (SCALED_LINEAR.equals(type)) {
            scaled = true;
        } else if (LINEAR.equals(type)) {
            scaled = false;
        } else {
            throw new IllegalArgumentException("unknown schedule type " + type);
        }
        double lo = scaled ? Math.sqrt(betaStart) : betaStart;
        double hi = scaled ? Math.sqrt(betaEnd) : betaEnd;
        double step = (hi - lo) / (trainSteps - 1);
        double[] ac = new double[trainSteps];
        double prod = 1.0;
        for (int t = 0; t < trainSteps; t++) {
            // Same formula as numpy.linspace (start + i*step, last point exactly the end).
            double v = t == trainSteps - 1 ? hi : lo + t * step;
            double beta = scaled ? v * v : v;
            prod *= 1.0 - beta;
            ac[t] = prod;
        }
        return new DdimSchedule(ac);
    }

    /** T, the number of training timesteps. */
    public int trainSteps() {
        return alphasCumprod.length;
    }

    /** ᾱ_t, the cumulative product of (1 − β) up to and including t. */
    public double alphaCumprod(int t) {
        return alphasCumprod[t];
    }

    /**
     * The timesteps the UNet visits, in order: {@code t_k = round(s·T·(K−k)/K)} for k = 0…K−1 (round half up,
     * computed in double from the float strength), clamped to T−1, with zeros and repeats dropped. Empty when
     * strength or steps is 0.
     */
    public int[] timesteps(float strength, int steps) {
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be 0..1, got " + strength);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        int T = trainSteps();
        List<Integer> ts = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            double v = (double) strength * T * (steps - k) / steps;
            int t = (int) Math.min(T - 1, Math.floor(v + 0.5));
            if (t > 0 && (ts.isEmpty() || ts.get(ts.size() - 1) != t)) {
                ts.add(t);
            }
        }
        return ts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The coefficients of one DDIM step from timestep {@code t} to {@code tPrev} (−1 means "clean", ᾱ = 1). */
    public Step step(int t, int tPrev) {
        double a = alphasCumprod[t];
        double aPrev = tPrev < 0 ? 1.0 : alphasCumprod[tPrev];
        return new Step(Math.sqrt(a), Math.sqrt(1 - a), Math.sqrt(aPrev), Math.sqrt(1 - aPrev));
    }

    /**
     * One DDIM update: {@code x0 = (x − sqrtOneMinusA·ε)/sqrtA}, {@code x' = sqrtAPrev·x0 + sqrtOneMinusAPrev·ε}.
     */
    public record Step(double sqrtA, double sqrtOneMinusA, double sqrtAPrev, double sqrtOneMinusAPrev) {
        /** Applies the update in place to {@code x} given the predicted noise {@code eps}. */
        public void apply(float[] x, float[] eps) {
            if (x.length != eps.length) {
                throw new IllegalArgumentException("x has " + x.length + " values, eps " + eps.length);
            }
            for (int i = 0; i < x.length; i++) {
                double x0 = (x[i] - sqrtOneMinusA * eps[i]) / sqrtA;
                x[i] = (float) (sqrtAPrev * x0 + sqrtOneMinusAPrev * eps[i]);
            }
        }
    }
}
