package dev.sdc.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** {@link NoisePredictor} over the bundle's unet.pt with its unconditional context; one NDManager scope per call. */
final class TorchNoisePredictor implements NoisePredictor {
    private final ModelRuntime runtime;
    private final Bundle bundle;

    TorchNoisePredictor(ModelRuntime runtime) {
        this.runtime = runtime;
        this.bundle = runtime.bundle();
    }

    @Override
    public float[] predict(Latent sample, int t) {
        var model = runtime.unet();
        float[] context = runtime.context();
        Shape sampleShape = new Shape(1, sample.channels(), sample.height(), sample.width());
        try (NDManager nd = model.getNDManager().newSubManager()) {
            NDArray x = nd.create(sample.data(), sampleShape);
            NDArray timestep = nd.create(new long[] {t});
            NDArray ctx = nd.create(context, new Shape(bundle.contextShape()));
            NDArray out = TorchAutoencoder.single(
                    DjlRuntime.forward(model, nd, new NDList(x, timestep, ctx), "unet.pt"), "unet.pt");
            TorchAutoencoder.checkShape(out, sampleShape.getShape(), "unet.pt");
            return TorchAutoencoder.floats(out);
        }
    }
}
