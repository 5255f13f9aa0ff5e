package dev.sdc.model;

/** Refines a dequantised latent with a few deterministic DDIM steps (docs/MODELS.md "Denoising"). */
public interface LatentDenoiser {
    /**
     * Runs the UNet at the timesteps {@link DdimSchedule#timesteps} gives for {@code strength} and {@code steps}.
     *
     * @param raw      latent in raw units; not modified
     * @param strength 0..1; 0 returns the latent unchanged
     * @param steps    number of UNet calls, 0..1000; 0 returns the latent unchanged
     * @return a new latent in raw units (or {@code raw} itself when nothing is done)
     * @throws ModelException if the UNet cannot be loaded or fails
     */
    Latent denoise(Latent raw, float strength, int steps);
}
