package dev.sdc.eval.baseline;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** Finds the baselines a run asked for; a missing tool is a warning and the codec is skipped. */
public final class Baselines {
    /** Every baseline name {@link #find} knows, in report order. */
    public static final List<String> NAMES = List.of("jpeg", "webp", "avif", "jxl", "avif2x");

    private Baselines() {
    }

    /**
     * The available baselines among {@code names}, in the order given. Unknown names are a USAGE error;
     * a name whose tools are not on the PATH produces one line on {@code warn} and is left out
     * (jpeg falls back to ImageIO instead). avif2x is AVIF at half size ({@link DownscaledBaseline}): it needs the
     * avif tools.
     */
    public static List<Baseline> find(List<String> names, Consumer<String> warn) {
        List<Baseline> out = new ArrayList<>();
        for (String raw : names) {
            String name = canonical(raw);
            if (name.isEmpty() || name.equals("none")) {
                continue; // "--codecs none" (or an empty list) evaluates sdc alone
            }
            // The tools a name runs, and the factor its image is shrunk by first (1: full size).
            int factor = name.equals("avif2x") ? 2 : 1;
            CommandLineBaseline b = switch (name) {
                case "jpeg" -> CommandLineBaseline.jpeg(version("cjpeg", "-version"));
                case "webp" -> CommandLineBaseline.webp("cwebp " + version("cwebp", "-version"));
                case "avif", "avif2x" -> CommandLineBaseline.avif("avifenc " + version("avifenc", "--version"));
                case "jxl" -> CommandLineBaseline.jxl(version("cjxl", "--version"));
                default -> throw new SdcException(ExitCode.USAGE, "unknown codec '" + raw + "' (use " + String.join(",", NAMES) + ")");
            };
            boolean present = ExternalProcess.which(b.encoderName()).isPresent()
                    && ExternalProcess.which(b.decoderName()).isPresent();
            if (present) {
                out.add(factor == 1 ? b : new DownscaledBaseline(b, factor));
            } else if (b.name().equals("jpeg")) {
                warn.accept("sdc: warning: cjpeg/djpeg not found, using ImageIO JPEG for the jpeg baseline");
                out.add(new ImageIoJpegBaseline());
            } else {
                warn.accept("sdc: warning: " + b.encoderName() + "/" + b.decoderName() + " not found, skipping " + name);
            }
        }
        return out;
    }

    /** The baseline a --codecs value names: trimmed, lower case, {@code jpg} as {@code jpeg} (its alias). */
    public static String canonical(String raw) {
        String name = raw.strip().toLowerCase(Locale.ROOT);
        return name.equals("jpg") ? "jpeg" : name;
    }

    private static String version(String tool, String flag) {
        if (ExternalProcess.which(tool).isEmpty()) {
            return tool + " (absent)";
        }
        return ExternalProcess.firstLine(List.of(tool, flag));
    }
}
