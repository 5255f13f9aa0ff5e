package dev.sdc.codec;

/**
 * Decoder settings; a null field means "use the default stored in the file".
 *
 * @param strength denoise strength override, 0..1, or null
 * @param steps    number of UNet calls override, 0..1000, or null
 * @param denoise  false skips the UNet entirely
 */
public record DecodeOptions(Float strength, Integer steps, boolean denoise) {
    public static DecodeOptions defaults() {
        return new DecodeOptions(null, null, true);
    }
}
