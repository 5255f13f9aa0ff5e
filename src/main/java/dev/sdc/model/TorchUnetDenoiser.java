package dev.sdc.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * {@link LatentDenoiser} over the bundle's unet.pt: scale the raw latent, run DDIM (η = 0) at the visited
 * timesteps, unscale. The DDIM arithmetic runs in Java (double coefficients), only ε comes from the UNet.
 */
final class TorchUnetDenoiser implements LatentDenoiser {
    private final ModelRuntime runtime;
    private final Bundle bundle;
    private final DdimSchedule schedule;

    TorchUnetDenoiser(ModelRuntime runtime) {
        this.runtime = runtime;
        this.bundle = runtime.bundle();
        this.schedule = bundle.schedule();
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
        if (raw.channels() != bundle.channels()) {
            throw new ModelException("latent has " + raw.channels() + " channels, bundle " + bundle.name()
                    + " expects " + bundle.channels());
        }
        double scale = bundle.scale();
        float[] x = raw.data().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] * scale);
        }
        var model = runtime.unet();
        float[] context = runtime.context();
        Shape sampleShape = new Shape(1, raw.channels(), raw.height(), raw.width());
        long[] expected = sampleShape.getShape();
        for (int k = 0; k < ts.length; k++) {
            float[] eps;
            try (NDManager nd = model.getNDManager().newSubManager()) {
                NDArray sample = nd.create(x, sampleShape);
                NDArray timestep = nd.create(new long[] {ts[k]});
                NDArray ctx = nd.create(context, new Shape(bundle.contextShape()));
                NDArray out = TorchAutoencoder.single(
                        DjlRuntime.forward(model, nd, new NDList(sample, timestep, ctx), "unet.pt"), "unet.pt");
                TorchAutoencoder.checkShape(out, expected, "unet.pt");
                eps = TorchAutoencoder.floats(out);
            }
            int prev = k + 1 < ts.length ? ts[k + 1] : -1;
            schedule.step(ts[k], prev).apply(x, eps);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] / scale);
        }
        return new Latent(raw.channels(), raw.height(), raw.width(), x);
    }
}
