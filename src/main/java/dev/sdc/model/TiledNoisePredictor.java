package dev.sdc.model;

/**
 * Runs a {@link NoisePredictor} on overlapping latent tiles sized from a {@link MemoryBudget} and blends ε
 * with {@link TileGrid}'s ramps. Blending ε (not the stepped latent) keeps the DDIM update itself global and
 * exact; a latent that fits in one tile goes to the inner predictor unchanged.
 */
final class TiledNoisePredictor implements NoisePredictor {
    private final NoisePredictor inner;
    private final Bundle bundle;
    private final MemoryEstimates estimates;
    private final MemoryBudget budget;

    TiledNoisePredictor(NoisePredictor inner, Bundle bundle, MemoryEstimates estimates, MemoryBudget budget) {
        this.inner = inner;
        this.bundle = bundle;
        this.estimates = estimates;
        this.budget = budget;
    }

    /** UNet tiles over a {@code width × height} latent, in latent pixels. */
    TileGrid grid(int width, int height) {
        return TileGrid.plan(width, height, budget.maxUnits(estimates.unetBytesPerLatentPixel()),
                estimates.latentOverlap(bundle.factor()), bundle.latentAlignment());
    }

    @Override
    public float[] predict(Latent sample, int t) {
        int unit = bundle.latentAlignment();
        if (sample.width() % unit != 0 || sample.height() % unit != 0) {
            return inner.predict(sample, t); // not the latent of a padded image: the UNet cannot take its tiles
        }
        TileGrid grid = grid(sample.width(), sample.height());
        if (grid.isSingle()) {
            return inner.predict(sample, t);
        }
        return grid.blend(sample.channels(), tile -> inner.predict(
                sample.crop(tile.x(), tile.y(), tile.width(), tile.height()), t));
    }
}
