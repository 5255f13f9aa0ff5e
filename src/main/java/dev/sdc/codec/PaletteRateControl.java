package dev.sdc.codec;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.latent.Palette;

import java.util.Optional;
import java.util.function.Function;

/**
 * Rate control for the palette mode: picks the palette size and dithering whose complete file fits a
 * {@link RateTarget} with the best expected quality, by {@link RateController} over the colour count.
 *
 * <p>The rule ({@link Policy#AUTO}, measured with {@code scripts/measure-rate.sh}; numbers in README "Rate
 * control"): more colours are better. Floyd–Steinberg dithering wins at equal bytes once the palette is
 * large, but at small palettes on smooth images its noise costs more than the extra colours nearest-colour
 * mapping buys with the same bytes. So: search with dithering; if that reaches fewer than
 * {@link #NEAREST_BELOW} colours, also search without, and take the nearest-colour file when it has at least
 * {@link #NEAREST_RATIO} times the colours.
 */
public final class PaletteRateControl {
    /** Dithered palettes smaller than this also try nearest-colour mapping. */
    public static final int NEAREST_BELOW = 32;
    /** Nearest-colour mapping is taken when it buys at least this many times the dithered colour count. */
    public static final double NEAREST_RATIO = 1.2;

    /** How dithering is chosen. */
    public enum Policy {
        /** The measured rule above. */
        AUTO,
        /** Search colours with Floyd–Steinberg dithering only. */
        DITHER,
        /** Search colours with nearest-colour mapping only. */
        NO_DITHER
    }

    private final Function<EncodeOptions, byte[]> compressor;
    private final Policy policy;

    /** @param compressor the complete .sdc file of the (already analysed) image at the given settings */
    public PaletteRateControl(Function<EncodeOptions, byte[]> compressor) {
        this(compressor, Policy.AUTO);
    }

    public PaletteRateControl(Function<EncodeOptions, byte[]> compressor, Policy policy) {
        this.compressor = compressor;
        this.policy = policy;
    }

    /**
     * @param base supplies the decode defaults written into the file; its colour count is searched, and
     *             {@code base.dither() == false} restricts the search to nearest-colour mapping
     * @throws SdcException ({@link ExitCode#TARGET_UNREACHABLE}) if even a one-colour file is over the budget
     */
    public RateControlled encode(RateTarget target, int width, int height, EncodeOptions base) {
        long budget = target.budgetBytes(width, height);
        Policy p = base.dither() ? policy : Policy.NO_DITHER;
        int[] trials = {0};
        Function<EncodeOptions, byte[]> counted = o -> {
            trials[0]++;
            return compressor.apply(o);
        };
        boolean dither = p != Policy.NO_DITHER;
        Optional<RateController.Outcome> found = search(counted, base, dither, 1, budget);
        if (p == Policy.AUTO && found.isPresent() && found.get().level() < NEAREST_BELOW) {
            int ditheredColors = found.get().level();
            Optional<RateController.Outcome> nearest = search(counted, base, false, ditheredColors, budget);
            if (nearest.isPresent() && nearest.get().level() >= NEAREST_RATIO * ditheredColors) {
                found = nearest;
                dither = false;
            }
        }
        if (found.isEmpty()) {
            int smallest = compressor.apply(base.withColors(1, false)).length;
            throw new SdcException(ExitCode.TARGET_UNREACHABLE, "target " + target
                    + (target.isBitsPerPixel() ? " (" + budget + " B)" : "") + " is too small for this "
                    + width + "x" + height + " image: the smallest file sdc can make (1 colour) has " + smallest
                    + " bytes");
        }
        RateController.Outcome o = found.get();
        return new RateControlled(o.bytes(), base.withColors(o.level(), dither), target, budget, trials[0]);
    }

    private static Optional<RateController.Outcome> search(Function<EncodeOptions, byte[]> compressor,
            EncodeOptions base, boolean dither, int lo, long budget) {
        return RateController.largestFitting(lo, Palette.MAX_ENTRIES, budget,
                colors -> compressor.apply(base.withColors(colors, dither)));
    }
}
