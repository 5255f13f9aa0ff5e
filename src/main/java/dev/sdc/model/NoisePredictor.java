package dev.sdc.model;

/** The UNet's job within DDIM: predict the noise ε in a scaled latent at one timestep. */
public interface NoisePredictor {
    /**
     * @param sample latent in UNet units (raw × bundle scale), {@code [C, h, w]}; not modified
     * @param t      timestep 0..T−1
     * @return ε, planar {@code [C, h, w]}
     * @throws ModelException if the network cannot be loaded or fails
     */
    float[] predict(Latent sample, int t);
}
