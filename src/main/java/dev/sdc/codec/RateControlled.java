package dev.sdc.codec;

import dev.sdc.Plural;

import java.util.Locale;

/**
 * The outcome of a rate-controlled encode: the file, the settings the search chose, and how it got there.
 *
 * @param bytes   the complete .sdc file; {@code bytes.length <= budget}
 * @param options the settings that made it
 * @param target  the goal as the user gave it
 * @param budget  the goal in bytes for this image
 * @param trials  how many candidate files the search encoded
 */
public record RateControlled(byte[] bytes, EncodeOptions options, RateTarget target, long budget, int trials) {
    /**
     * E.g. {@code "target 4000 B: chose 37 colours, dither -> 3987 bytes (9 trials)"}. The count is the file's
     * palette: when the image has fewer distinct latent colours than the search's level (a flat image fits
     * at 256), it says so instead of naming a size the file does not have.
     */
    public String describe() {
        String goal = target.isBitsPerPixel() ? target + " = " + budget + " B" : target.toString();
        if (options.mode() == QuantizerMode.SCALAR) {
            ScalarRate r = options.scalarRate();
            return String.format(Locale.ROOT, "target %s: chose scalar level %d, rate factor %.4f -> %d bytes (%s)",
                    goal, r.level(), r.factor(), bytes.length, Plural.count(trials, "trial"));
        }
        int colours = SdcSummary.of(bytes).colors();
        return String.format(Locale.ROOT, "target %s: chose %s%s, %s -> %d bytes (%s)", goal,
                Plural.count(colours, "colour"), colours < options.colors() ? " (all the image has)" : "",
                options.dither() ? "dither" : "no dither", bytes.length, Plural.count(trials, "trial"));
    }
}
