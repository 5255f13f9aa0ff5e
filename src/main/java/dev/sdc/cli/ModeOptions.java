package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.codec.QuantizerMode;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * {@code --mode palette|scalar} and {@code --quality Q}: which quantizer mode encodes (docs/FORMAT.md) and,
 * in the scalar mode, at which rate. The palette mode stays the default until the scalar mode wins on Kodak.
 * Public so that commands outside the CLI (integrations/spark's encode job) take the same options with the
 * same checks.
 */
public final class ModeOptions {
    @Option(names = "--mode", paramLabel = "MODE", completionCandidates = CompletionValues.Modes.class,
            description = "Quantizer mode: palette (default: Bühlmann's latent palette with dithering) or scalar "
                    + "(per-channel steps with the bundle's learned prior; needs a bundle with a scalar prior, "
                    + "reaches lower rates).")
    String mode;

    @Option(names = {"-Q", "--quality"}, paramLabel = "Q",
            description = "Scalar mode: quality 0..100 (higher: finer steps, more bytes; default: the bundle's "
                    + "default level). Exclusive with --size and --bpp.")
    Double quality;

    /** {@code --quality}, or null for the bundle's default level. */
    public Double quality() {
        return quality;
    }

    /** The chosen mode; a usage error for an unknown name or a palette-only option in the scalar mode. */
    public QuantizerMode mode(Integer colors, boolean noDither, boolean preset, boolean rateTarget) {
        QuantizerMode m = parse();
        if (m == QuantizerMode.SCALAR) {
            if (colors != null || noDither || preset) {
                throw new SdcException(ExitCode.USAGE, "--colors, --no-dither and --preset belong to the palette "
                        + "mode; the scalar mode's knob is --quality (or --size/--bpp)");
            }
            if (quality != null) {
                Checks.range("--quality", (float) (double) quality, 0f, 100f);
                if (rateTarget) {
                    throw new SdcException(ExitCode.USAGE, "--quality and --size/--bpp are mutually exclusive: "
                            + "the target chooses the quality");
                }
            }
        } else if (quality != null) {
            throw new SdcException(ExitCode.USAGE, "--quality needs --mode scalar (the palette mode's knob is "
                    + "--colors)");
        }
        return m;
    }

    private QuantizerMode parse() {
        if (mode == null) {
            return QuantizerMode.PALETTE;
        }
        for (QuantizerMode m : QuantizerMode.values()) {
            if (m.cliName().equals(mode.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new SdcException(ExitCode.USAGE, "--mode: unknown mode '" + mode + "' (use palette or scalar)");
    }
}
