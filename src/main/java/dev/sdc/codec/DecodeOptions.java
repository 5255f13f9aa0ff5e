package dev.sdc.codec;

import dev.sdc.SdcException;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.ReadOptions;
import dev.sdc.model.Bundle;

/**
 * Decoder settings; a null strength or steps means "use the default stored in the file".
 *
 * @param strength denoise strength override, 0..1, or null
 * @param steps    number of UNet calls override, 0..1000, or null
 * @param denoise  false skips the UNet entirely
 * @param look     which of the bundle's decoders turns the latent into pixels ({@link Bundle#looks()});
 *                 null means {@value Bundle#FAITHFUL_LOOK} ({@code decoder.pt})
 * @param maxPixels the largest width x height decoded, checked against the file's header before any work:
 *                 a 67-byte file may claim 16384 x 16384 (the format's 2^28), and decoding it takes minutes
 *                 and gigabytes. Default {@link ReadOptions#DEFAULT_MAX_PIXELS}, the encoder's default limit.
 */
public record DecodeOptions(Float strength, Integer steps, boolean denoise, String look, long maxPixels) {
    public DecodeOptions {
        // the CLI's ranges: NaN, -1 or -5 were silently "no denoising", 2.0 failed late
        checkDenoise(strength, steps);
        look = look == null ? Bundle.FAITHFUL_LOOK : look;
        if (maxPixels < 1 || maxPixels > ImageFiles.MAX_PIXELS) {
            throw new IllegalArgumentException("max pixels must be 1.." + ImageFiles.MAX_PIXELS + ", got " + maxPixels);
        }
    }

    /** Settings with the default pixel limit. */
    public DecodeOptions(Float strength, Integer steps, boolean denoise, String look) {
        this(strength, steps, denoise, look, ReadOptions.DEFAULT_MAX_PIXELS);
    }

    /**
     * The denoise settings' ranges, for these overrides and for the defaults an encode writes into a file:
     * strength 0..1 (not NaN), steps 0..1000; null means unset.
     *
     * @throws IllegalArgumentException naming the value out of range
     */
    static void checkDenoise(Float strength, Integer steps) {
        if (strength != null && !(strength >= 0f && strength <= 1f)) {
            throw new IllegalArgumentException("strength must be 0..1, got " + strength);
        }
        if (steps != null && (steps < 0 || steps > 1000)) {
            throw new IllegalArgumentException("steps must be 0..1000, got " + steps);
        }
    }

    /** Settings with the faithful look (the bundle's {@code decoder.pt}). */
    public DecodeOptions(Float strength, Integer steps, boolean denoise) {
        this(strength, steps, denoise, null);
    }

    public static DecodeOptions defaults() {
        return new DecodeOptions(null, null, true);
    }

    /** These settings with another look; null means faithful. */
    public DecodeOptions withLook(String look) {
        return new DecodeOptions(strength, steps, denoise, look, maxPixels);
    }

    /** These settings with another pixel limit (1..2^28). */
    public DecodeOptions withMaxPixels(long maxPixels) {
        return new DecodeOptions(strength, steps, denoise, look, maxPixels);
    }

    /**
     * Refuses a header larger than {@link #maxPixels}, before any work.
     *
     * @throws SdcException (bad input) with the size and the limit
     */
    void checkSize(SdcHeader h) {
        ImageFiles.checkMaxPixels(null, h.width(), h.height(), maxPixels);
    }
}
