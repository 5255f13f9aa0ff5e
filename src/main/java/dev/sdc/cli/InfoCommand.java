package dev.sdc.cli;

import dev.sdc.ExitCode;
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

import java.io.PrintWriter;
import java.io.StringWriter;
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
                o.print((first ? "" : System.lineSeparator()) + block);
                first = false;
            } catch (SdcException e) {
                if (inputs.size() == 1) {
                    throw e;
                }
                o.flush();
                err.println("sdc: error: " + Main.oneLine(e.getMessage()));
                err.flush();
                failures.add(e.exitCode().code());
            }
        }
        o.flush();
        return Batch.exitCodeOf(failures);
    }

    /** The block of one file, every line ending in a line separator. */
    private String describe(Path input, Bundle bundle) {
        boolean stdin = BatchOptions.isStdio(input);
        byte[] bytes = stdin ? Batch.readStdin(SdcCommand.stdioOf(root).in(), SdcReader.MAX_FILE_BYTES)
                : Checks.readInput(input);
        String name = stdin ? "stdin" : input.toString();
        SdcFile file;
        try {
            file = SdcReader.read(bytes);
        } catch (dev.sdc.bitstream.FormatException e) {
            throw new SdcException(ExitCode.BAD_INPUT, name + ": corrupt file: " + Main.oneLine(e.getMessage()), e);
        }
        SdcHeader h = file.header();
        double bpp = bytes.length * 8.0 / ((double) h.width() * h.height());
        StringWriter text = new StringWriter();
        PrintWriter o = new PrintWriter(text);
        o.printf(Locale.ROOT, "file:            %s%n", name);
        o.printf(Locale.ROOT, "format version:  %d%n", SdcHeader.VERSION);
        o.printf(Locale.ROOT, "image size:      %d x %d%n", h.width(), h.height());
        o.printf(Locale.ROOT, "bundle:          %s (fingerprint %s)%n", h.bundleName(), HexFormat.of().formatHex(h.fingerprint()));
        LookOptions.infoLine(model, bundle, h).ifPresent(looks -> o.printf(Locale.ROOT, "looks:           %s%n", looks));
        o.printf(Locale.ROOT, "latent:          %d channels x %d x %d (factor %d)%n", h.channels(), h.latentHeight(), h.latentWidth(), h.factor());
        if (file.payload() instanceof ScalarPayload p) {
            ScalarRate rate = new ScalarRate(p.level(), p.rateFactor());
            o.printf(Locale.ROOT, "quantizer:       scalar (mode 1), values clamped to [%s, %s]%n", h.quantMin(), h.quantMax());
            o.printf(Locale.ROOT, "rate:            level %d, rate factor %d/4096 = %.4f%n", p.level(), p.rateFactor(),
                    rate.factor());
            if (LookOptions.madeFile(bundle, h)) {
                ScalarSteps.describe(bundle, rate)
                        .ifPresent(steps -> o.printf(Locale.ROOT, "steps:           %s%n", steps));
            }
            o.printf(Locale.ROOT, "coded latent:    %d bytes%n", p.coded().length);
        } else {
            o.printf(Locale.ROOT, "quantizer:       palette (mode 0), 8-bit over [%s, %s]%n", h.quantMin(), h.quantMax());
            o.printf(Locale.ROOT, "palette size:    %d%n", file.latent().paletteSize());
        }
        o.printf(Locale.ROOT, "denoise default: strength %s, %s%n", h.strength(), Plural.count(h.steps(), "step"));
        printMetadata(o, file.metadata());
        o.printf(Locale.ROOT, "bytes:           %d%n", bytes.length);
        o.printf(Locale.ROOT, "bpp:             %.4f%n", bpp);
        o.flush();
        return text.toString();
    }

    private static void printMetadata(PrintWriter o, SdcMetadata md) {
        if (md.isEmpty()) {
            o.printf(Locale.ROOT, "metadata:        none%n");
            return;
        }
        o.printf(Locale.ROOT, "metadata:        %d bytes in %s%n", md.sectionBytes(),
                Plural.count(md.blocks().size(), "block"));
        md.exif().ifPresent(exif -> {
            ExifSummary s = ExifSummary.of(exif);
            o.printf(Locale.ROOT, "  exif:          %d bytes%n", exif.length);
            o.printf(Locale.ROOT, "  capture time:  %s%n", s.captureTime() == null ? "-" : s.captureTime());
            o.printf(Locale.ROOT, "  camera:        %s%n", s.camera() == null ? "-" : s.camera());
            if (s.lens() != null) {
                o.printf(Locale.ROOT, "  lens:          %s%n", s.lens());
            }
            o.printf(Locale.ROOT, "  gps:           %s%n", s.gps() ? "present" : "none");
        });
        md.xmp().ifPresent(x -> o.printf(Locale.ROOT, "  xmp:           %d bytes%n",
                x.getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        md.iccName().ifPresent(n -> o.printf(Locale.ROOT, "  input profile: %s (pixels converted to sRGB)%n", n));
    }
}
