package dev.sdc.codec;

import dev.sdc.bitstream.LatentPayload;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.model.Latent;

import java.util.function.Function;

/**
 * One quantizer mode of a bundle: the (quantizer, coder) pair that turns a raw latent into the payload of
 * the header's mode and back (docs/FORMAT.md). {@link BundleCodec} picks the pair by the mode field
 * ({@link LatentCodecs}); everything around it (networks, container, metadata) is shared by all modes.
 */
interface LatentCodec {
    QuantizerMode mode();

    /** Quantises and codes {@code latent} at {@code options}' settings. */
    LatentPayload compress(Latent latent, EncodeOptions options);

    /**
     * The raw latent a file's payload stands for, before denoising.
     *
     * @throws dev.sdc.bitstream.FormatException if the payload cannot have been made by this bundle
     */
    Latent reconstruct(SdcHeader header, LatentPayload payload);

    /** The denoise setting encode writes into the file where {@code options} leaves it to the mode. */
    DenoiseDefault denoiseDefault(EncodeOptions options);

    /** A file's default denoise strength and steps (docs/FORMAT.md header fields). */
    record DenoiseDefault(float strength, int steps) {
    }

    /**
     * Rate control: the file with the best setting of this mode that fits {@code target}.
     *
     * @param compressor the complete .sdc file of the analysed image at given settings
     * @param base       settings the search does not change (denoise overrides; mode-specific limits)
     * @throws dev.sdc.SdcException (TARGET_UNREACHABLE) if even the smallest file is too big
     */
    RateControlled fit(RateTarget target, int width, int height, EncodeOptions base,
            Function<EncodeOptions, byte[]> compressor);
}
