package dev.sdc.model;

/**
 * How much native memory each network needs per pixel it processes, and how far tiles overlap: the
 * optional {@code memory} object of bundle.json (docs/MODELS.md). Tile sizes follow from these and a
 * {@link MemoryBudget}. Bundles that do not say get {@link #DEFAULT}, sized for Stable-Diffusion-like
 * float32 networks on the CPU, so they err towards smaller tiles.
 *
 * @param encoderBytesPerPixel    peak bytes per input image pixel of encoder.pt
 * @param decoderBytesPerPixel    peak bytes per output image pixel of decoder.pt
 * @param unetBytesPerLatentPixel peak bytes per latent pixel of unet.pt
 * @param overlapPx               overlap of neighbouring tiles in image pixels (latent tiles use overlapPx / factor)
 */
public record MemoryEstimates(long encoderBytesPerPixel, long decoderBytesPerPixel, long unetBytesPerLatentPixel,
                              int overlapPx) {
    public static final MemoryEstimates DEFAULT = new MemoryEstimates(8_000, 12_000, 400_000, 64);

    public MemoryEstimates {
        if (encoderBytesPerPixel < 1 || decoderBytesPerPixel < 1 || unetBytesPerLatentPixel < 1 || overlapPx < 0) {
            throw new IllegalArgumentException("memory estimates must be positive and overlap >= 0");
        }
    }

    /** The overlap in latent pixels for a VAE of the given factor, rounded up. */
    public int latentOverlap(int factor) {
        return (overlapPx + factor - 1) / factor;
    }
}
