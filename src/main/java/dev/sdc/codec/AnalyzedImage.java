package dev.sdc.codec;

import dev.sdc.model.Latent;

/**
 * The expensive, setting-independent half of an encode: the image's size and the raw latent the VAE made of
 * its padded copy ({@link BundleCodec#analyze}). {@link BundleCodec#compress} turns it into file bytes for any
 * {@link EncodeOptions}, so a rate search runs the VAE once and only repeats quantisation and entropy coding.
 *
 * @param width  the original (unpadded) image width, written into the header
 * @param height the original (unpadded) image height
 * @param latent the raw latent of the padded image
 */
public record AnalyzedImage(int width, int height, Latent latent) {
    public AnalyzedImage {
        if (width < 1 || height < 1 || latent == null) {
            throw new IllegalArgumentException("need a positive size and a latent, got " + width + "x" + height);
        }
    }
}
