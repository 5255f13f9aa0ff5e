package dev.sdc.model;

/**
 * {@link LatentDenoiser} that runs DDIM (η = 0) with any {@link NoisePredictor}: scale the raw latent, step
 * through the visited timesteps with {@link DdimSchedule.Step} (double coefficients, in Java), unscale.
 * Only ε comes from the network, so a tiled predictor changes nothing else.
 */
public final class DdimSampler implements LatentDenoiser {
    private final Bundle bundle;
    private final DdimSchedule schedule;
    private final NoisePredictor predictor;

    public DdimSampler(Bundle bundle, NoisePredictor predictor) {
        this.bundle = bundle;
        this.schedule = bundle.schedule();
        this.predictor = predictor;
    }

    @Override
    public Latent denoise(Latent raw, float strength, int steps) {
        if (steps > 1000) {
            throw new IllegalArgumentException("steps must be 0..1000, got " + steps);
        }
        int[] ts = schedule.timesteps(strength, steps);
        if (ts.length == 0) {
            return raw;
        }
        bundle.requireChannels(raw);
        double scale = bundle.scale();
        float[] x = raw.data().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] * scale);
        }
        Latent sample = new Latent(raw.channels(), raw.height(), raw.width(), x);
        for (int k = 0; k < ts.length; k++) {
            float[] eps = predictor.predict(sample, ts[k]);
            int prev = k + 1 < ts.length ? ts[k + 1] : -1;
            schedule.step(ts[k], prev).apply(x, eps);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] / scale);
        }
        return new Latent(raw.channels(), raw.height(), raw.width(), x);
    }
}
