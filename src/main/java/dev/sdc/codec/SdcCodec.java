package dev.sdc.codec;

import dev.sdc.bitstream.SdcMetadata;
import dev.sdc.image.RgbImage;

/**
 * The codec as a library: image → .sdc bytes → image, with one loaded bundle reused across calls
 * ({@link BundleCodec}); what other packages code against.
 */
public interface SdcCodec extends AutoCloseable {
    /** Encodes an image of any size into the bytes of a .sdc file. */
    byte[] encode(RgbImage image, EncodeOptions options);

    /**
     * Encodes with photo metadata (EXIF, XMP, profile name) stored inside the .sdc bytes; the returned length,
     * which size targets measure, includes it. The default refuses non-empty metadata rather than drop it
     * silently; codecs that store it override this.
     */
    default byte[] encode(RgbImage image, EncodeOptions options, SdcMetadata metadata) {
        if (!metadata.isEmpty()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " does not store metadata");
        }
        return encode(image, options);
    }

    /**
     * Encodes at the best setting of {@code base}'s quantizer mode whose complete file fits {@code target}.
     * The default supports no rate control; {@link BundleCodec} does.
     *
     * @throws dev.sdc.SdcException (TARGET_UNREACHABLE) if even the smallest file is too big
     */
    default RateControlled encode(RgbImage image, RateTarget target, EncodeOptions base) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no rate control");
    }

    /** Whether this codec can encode in {@code mode} (the scalar mode needs a bundle with a prior). */
    default boolean supports(QuantizerMode mode) {
        return mode == QuantizerMode.PALETTE;
    }

    /** Decodes the bytes of a .sdc file made with this codec's bundle. */
    RgbImage decode(byte[] sdcFile, DecodeOptions options);

    /**
     * The autoencoder alone: encode and decode without any quantisation or denoising. The ceiling the codec
     * can reach with this bundle; eval reports it.
     */
    RgbImage autoencode(RgbImage image);

    /** Shape {@code {channels, height, width}} of the latent this codec makes of a width × height image. */
    int[] latentShape(int width, int height);

    /** Name of the loaded bundle. */
    String bundleName();

    @Override
    void close();
}
