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
 * @param maxSteps the most UNet calls a file's own denoise defaults may ask for, checked before any work: the
 *                 header's steps field allows 1000, and 1000 steps at strength 1 are 999 UNet calls, minutes
 *                 per megapixel from a file of a few kB. An explicit {@link #steps} override is the caller's own
 *                 choice and is not bounded by it. 0..1000, default {@value #DEFAULT_MAX_STEPS}.
 */
public record DecodeOptions(Float strength, Integer steps, boolean denoise, String look, long maxPixels, int maxSteps) {
    /**
     * The default {@link #maxSteps}: 50, the upper end of the DDIM step counts used to sample images from pure
     * noise; a codec's latent needs a few (the shipped bundles write 1 or 2), so no file sdc makes by default
     * comes near it.
     */
    public static final int DEFAULT_MAX_STEPS = 50;

    public DecodeOptions {
        // the CLI's ranges: NaN, -1 or -5 were silently "no denoising", 2.0 failed late
        checkDenoise(strength, steps);
        look = look == null ? Bundle.FAITHFUL_LOOK : look;
        if (maxPixels < 1 || maxPixels > ImageFiles.MAX_PIXELS) {
            throw new IllegalArgumentException("max pixels must be 1.." + ImageFiles.MAX_PIXELS + ", got " + maxPixels);
        }
        if (maxSteps < 0 || maxSteps > 1000) {
            throw new IllegalArgumentException("max steps must be 0..1000, got " + maxSteps);
        }
    }

    /** Settings with the default pixel and step limits. */
    public DecodeOptions(Float strength, Integer steps, boolean denoise, String look) {
        this(strength, steps, denoise, look, ReadOptions.DEFAULT_MAX_PIXELS, DEFAULT_MAX_STEPS);
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
        return new DecodeOptions(strength, steps, denoise, look, maxPixels, maxSteps);
    }

    /** These settings with another pixel limit (1..2^28). */
    public DecodeOptions withMaxPixels(long maxPixels) {
        return new DecodeOptions(strength, steps, denoise, look, maxPixels, maxSteps);
    }

    /** These settings with another limit on the UNet calls a file's own defaults may ask for (0..1000). */
    public DecodeOptions withMaxSteps(int maxSteps) {
        return new DecodeOptions(strength, steps, denoise, look, maxPixels, maxSteps);
    }

    /**
     * Refuses a header larger than {@link #maxPixels}, before any work.
     *
     * @throws SdcException (bad input) with the size and the limit
     */
    void checkSize(SdcHeader h) {
        ImageFiles.checkMaxPixels(null, h.width(), h.height(), maxPixels);
    }

    /**
     * Refuses a file whose own denoise defaults would make more than {@link #maxSteps} UNet calls, before any
     * work. Nothing to check when the caller set the steps or turned denoising off.
     *
     * @param strength  the effective strength (this override, else the file's)
     * @param fileSteps the file's steps field
     * @param calls     the UNet calls that strength and those steps make (repeated timesteps count once, as the
     *                  sampler runs them: {@link dev.sdc.model.DdimSchedule#timesteps})
     * @throws SdcException (bad input) with the count and the limit
     */
    void checkSteps(float strength, int fileSteps, int calls) {
        if (denoise && steps == null && calls > maxSteps) {
            throw new SdcException(dev.sdc.ExitCode.BAD_INPUT, "the file asks for " + calls + " UNet denoise steps"
                    + " (steps " + fileSteps + " at strength " + strength + "), more than --max-steps " + maxSteps
                    + " (raise it, up to 1000, or set --steps)");
        }
    }
}
