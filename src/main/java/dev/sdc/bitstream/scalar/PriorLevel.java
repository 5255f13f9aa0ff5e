package dev.sdc.bitstream.scalar;

/**
 * One rate level of a bundle's prior (docs/SCALAR.md, "prior.bin"): the per-channel quantisation steps
 * at rate factor 1, the suggested denoise timestep for that noise, and the context model the coder uses.
 */
public final class PriorLevel {
    private final float[] steps;
    private final int denoiseTimestep;
    private final ContextModel model;

    public PriorLevel(float[] steps, int denoiseTimestep, ContextModel model) {
        if (steps.length != model.channels()) {
            throw new IllegalArgumentException(steps.length + " steps for " + model.channels() + " channels");
        }
        for (float s : steps) {
            if (!(s >= PriorTables.MIN_STEP && s <= PriorTables.MAX_STEP)) {
                throw new IllegalArgumentException("step " + s + " outside " + PriorTables.MIN_STEP + " … "
                        + PriorTables.MAX_STEP);
            }
        }
        if (denoiseTimestep < 0 || denoiseTimestep > PriorTables.MAX_TIMESTEP) {
            throw new IllegalArgumentException("denoise timestep " + denoiseTimestep);
        }
        this.steps = steps.clone();
        this.denoiseTimestep = denoiseTimestep;
        this.model = model;
    }

    /** Quantisation step of each channel at rate factor 1 (raw latent units). */
    public float[] steps() {
        return steps.clone();
    }

    /** Suggested UNet timestep for this level's quantisation noise; 0 means no denoising. */
    public int denoiseTimestep() {
        return denoiseTimestep;
    }

    public ContextModel model() {
        return model;
    }
}
