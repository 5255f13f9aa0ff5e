package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.EncodeOptions;
import dev.sdc.codec.RateTarget;
import dev.sdc.image.RgbImage;
import picocli.CommandLine.Option;


/**
 * {@code --size BYTES|NkB|NKiB} and {@code --bpp X}: encode at the best palette size and dithering whose whole
 * file fits the target (README "Rate control"). The search is {@link BundleCodec#encode(RgbImage, RateTarget,
 * EncodeOptions)}; this class only parses, checks exclusivity, and names the input in errors.
 */
final class RateOptions {
    @Option(names = "--size", paramLabel = "BYTES",
            description = "Largest file to make: bytes (4000, 4000B), kB = 1000 B (4kB, 2.5kB), KiB = 1024 B, MB, MiB."
                    + " Chooses the palette size and dithering; exclusive with --colors and --bpp.")
    String size;

    @Option(names = "--bpp", paramLabel = "X",
            description = "Largest file in bits per pixel of the input (e.g. 0.1); like --size.")
    String bpp;

    /** The target, or null when neither option is given; usage error if malformed or combined with --colors. */
    RateTarget target(Integer colors) {
        if (size != null && bpp != null) {
            throw new SdcException(ExitCode.USAGE, "--size and --bpp are mutually exclusive; give one");
        }
        if (size == null && bpp == null) {
            return null;
        }
        String option = size != null ? "--size" : "--bpp";
        if (colors != null) {
            throw new SdcException(ExitCode.USAGE, option + " and --colors are mutually exclusive:"
                    + " " + option + " chooses the palette size");
        }
        try {
            return size != null ? RateTarget.parseSize(size) : RateTarget.parseBitsPerPixel(bpp);
        } catch (IllegalArgumentException e) {
            throw new SdcException(ExitCode.USAGE, option + ": " + e.getMessage());
        }
    }

}
