package dev.sdc.model;

import dev.sdc.image.RgbImage;

/** The bundle's VAE: pixels to raw latents and back. Implementations free native memory per call. */
public interface Autoencoder {
    /**
     * Encodes an image whose sides are multiples of the bundle's alignment (pad first, in dev.sdc.image).
     *
     * @return raw latent {@code [C, H/f, W/f]} (not multiplied by the bundle scale)
     * @throws IllegalArgumentException if a side is not a multiple of the alignment
     * @throws ModelException           if the encoder cannot be loaded or fails
     */
    Latent encode(RgbImage padded);

    /**
     * Decodes a raw latent to an image of {@code f·w × f·h} pixels; values outside the pixel range are clamped.
     *
     * @throws ModelException if the latent has the wrong channel count, or the decoder cannot be loaded or fails
     */
    RgbImage decode(Latent raw);

    /**
     * {@link #decode(Latent)} with the decoder of one of the bundle's looks ({@link Bundle#looks()}); null or
     * {@value Bundle#FAITHFUL_LOOK} is {@link #decode(Latent)}.
     *
     * @throws ModelException if the bundle has no such look, or as {@link #decode(Latent)}
     */
    default RgbImage decode(Latent raw, String look) {
        if (look == null || Bundle.FAITHFUL_LOOK.equals(look)) {
            return decode(raw);
        }
        throw new ModelException("this autoencoder has no look '" + look + "'");
    }
}
