package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.Messages;
import dev.sdc.Plural;
import dev.sdc.SdcException;
import dev.sdc.VersionProvider;
import dev.sdc.bitstream.ScalarPayload;
import dev.sdc.bitstream.SdcFile;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.bitstream.SdcMetadata;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.codec.ScalarRate;
import dev.sdc.codec.ScalarSteps;
import dev.sdc.metadata.ExifSummary;
import dev.sdc.model.Bundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code sdc info IN.sdc...}: every header field, without loading any network. Several files print one block
 * each, separated by a blank line; a bad file prints its error and the others are still listed (exit codes as
 * for a batch: that file's code, or 6 when failures differ).
 */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Print the header fields of .sdc files (validates each whole file, loads no network).")
final class InfoCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "IN", description = "Input .sdc files ('-': stdin).")
    List<Path> inputs;

    @picocli.CommandLine.ParentCommand
    SdcCommand root;

    @Option(names = {"-m", "--model"}, paramLabel = "DIR",
            description = "Also list the looks of this bundle (default: $SDC_MODEL, else the built-in one) if it made "
                    + "the file; checks the bundle's files, loads no network.")
    Path model;

    @Option(names = "--json", description = "One JSON object per file, one per line (JSON Lines), instead of text; "
            + "errors still go to stderr.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Checks.named(inputs, "argument");
        if (inputs.stream().filter(BatchOptions::isStdio).count() > 1) {
            throw new SdcException(ExitCode.USAGE, "'-' (stdin) can be named once");
        }
        Bundle bundle = LookOptions.loadForInfo(model); // once: loading verifies every file's sha256
        var o = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        Set<Integer> failures = new TreeSet<>();
        boolean first = true;
        for (Path input : inputs) {
            try {
                String block = describe(input, bundle);
                o.print((first || json ? "" : System.lineSeparator()) + block);
                first = false;
            } catch (SdcException e) {
                if (inputs.size() == 1) {
                    throw e;
                }
                o.flush();
                err.println("sdc: error: " + Messages.oneLine(e.getMessage()));
                err.flush();
                failures.add(e.exitCode().code());
            }
        }
        o.flush();
        return ExitCode.ofFailures(failures);
    }

    /** The block of one file, every line ending in a line separator. */
    private String describe(Path input, Bundle bundle) {
        boolean stdin = BatchOptions.isStdio(input);
        if (stdin) {
            SdcCommand.stdioOf(root).checkInput();
        }
        byte[] bytes = stdin ? Batch.readSdcStdin(SdcCommand.stdioOf(root).in())
                : Checks.readInput(input);
        String name = stdin ? "stdin" : input.toString();
        SdcFile file;
        try {
            file = SdcReader.read(bytes);
        } catch (dev.sdc.bitstream.FormatException e) {
            throw new SdcException(ExitCode.BAD_INPUT, name + ": corrupt file: " + Messages.oneLine(e.getMessage()), e);
        }
        SdcHeader h = file.header();
        double bpp = bytes.length * 8.0 / ((double) h.width() * h.height());
        String fingerprint = HexFormat.of().formatHex(h.fingerprint());
        InfoFields f = new InfoFields();
        f.line("file", name, "file", name);
        f.line("format version", String.valueOf(SdcHeader.VERSION), "format_version", SdcHeader.VERSION);
        f.line("image size", h.width() + " x " + h.height(), "width", h.width(), "height", h.height());
        f.line("bundle", h.bundleName() + " (fingerprint " + fingerprint + ")", "bundle.name", h.bundleName(),
                "bundle.fingerprint", fingerprint);
        f.member("looks", LookOptions.madeFile(bundle, h) ? bundle.looks() : null); // null: unknown here
        LookOptions.infoLine(model, bundle, h).ifPresent(looks -> f.line("looks", looks));
        f.line("latent", String.format(Locale.ROOT, "%d channels x %d x %d (factor %d)", h.channels(), h.latentHeight(),
                h.latentWidth(), h.factor()), "latent.channels", h.channels(), "latent.height", h.latentHeight(),
                "latent.width", h.latentWidth(), "latent.factor", h.factor());
        if (file.payload() instanceof ScalarPayload p) {
            ScalarRate rate = new ScalarRate(p.level(), p.rateFactor());
            f.line("quantizer", "scalar (mode 1), values clamped to [" + h.quantMin() + ", " + h.quantMax() + "]",
                    "quantizer.mode", "scalar", "quantizer.quant_min", h.quantMin(), "quantizer.quant_max", h.quantMax());
            f.line("rate", String.format(Locale.ROOT, "level %d, rate factor %d/4096 = %.4f", p.level(), p.rateFactor(),
                    rate.factor()), "quantizer.level", p.level(), "quantizer.rate_factor", p.rateFactor());
            if (LookOptions.madeFile(bundle, h)) {
                ScalarSteps.describe(bundle, rate).ifPresent(steps -> f.line("steps", steps, "quantizer.steps",
                        ScalarSteps.values(bundle, rate).orElseThrow()));
            }
            f.line("coded latent", p.coded().length + " bytes", "quantizer.coded_bytes", p.coded().length);
        } else {
            f.line("quantizer", "palette (mode 0), 8-bit over [" + h.quantMin() + ", " + h.quantMax() + "]",
                    "quantizer.mode", "palette", "quantizer.quant_min", h.quantMin(), "quantizer.quant_max", h.quantMax());
            f.line("palette size", String.valueOf(file.latent().paletteSize()), "quantizer.palette_size",
                    file.latent().paletteSize());
        }
        f.line("denoise default", "strength " + h.strength() + ", " + Plural.count(h.steps(), "step"),
                "denoise.strength", h.strength(), "denoise.steps", h.steps());
        metadata(f, file.metadata());
        f.line("bytes", String.valueOf(bytes.length), "bytes", bytes.length);
        f.line("bpp", String.format(Locale.ROOT, "%.4f", bpp), "bpp", Math.round(bpp * 1e4) / 1e4);
        return json ? f.json() + System.lineSeparator() : f.text();
    }

    private static void metadata(InfoFields f, SdcMetadata md) {
        if (md.isEmpty()) {
            f.line("metadata", "none", "metadata", null);
            return;
        }
        f.line("metadata", md.sectionBytes() + " bytes in " + Plural.count(md.blocks().size(), "block"),
                "metadata.bytes", md.sectionBytes(), "metadata.blocks", md.blocks().size());
        md.exif().ifPresent(exif -> {
            ExifSummary s = ExifSummary.of(exif);
            f.line("  exif", exif.length + " bytes", "metadata.exif.bytes", exif.length);
            f.line("  capture time", s.captureTime() == null ? "-" : s.captureTime(),
                    "metadata.exif.capture_time", s.captureTime());
            f.line("  camera", s.camera() == null ? "-" : s.camera(), "metadata.exif.camera", s.camera());
            if (s.lens() != null) {
                f.line("  lens", s.lens(), "metadata.exif.lens", s.lens());
            }
            f.line("  gps", s.gps() ? "present" : "none", "metadata.exif.gps", s.gps());
        });
        md.xmp().ifPresent(x -> {
            int n = x.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            f.line("  xmp", n + " bytes", "metadata.xmp_bytes", n);
        });
        md.iccName().ifPresent(n -> f.line("  input profile", n + " (pixels converted to sRGB)",
                "metadata.input_profile", n));
    }
}
