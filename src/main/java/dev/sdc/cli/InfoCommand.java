package dev.sdc.cli;

import dev.sdc.VersionProvider;
import dev.sdc.bitstream.SdcFile;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.bitstream.SdcReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code sdc info IN.sdc}: every header field, without loading any model. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Print the header fields of a .sdc file (validates the whole file, loads no model).")
final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "Input .sdc file.")
    Path input;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        byte[] bytes = Checks.readInput(input);
        SdcFile file;
        try {
            file = SdcReader.read(bytes);
        } catch (dev.sdc.bitstream.FormatException e) {
            throw new dev.sdc.SdcException(dev.sdc.ExitCode.BAD_INPUT, input + ": corrupt file: " + Main.oneLine(e.getMessage()), e);
        }
        SdcHeader h = file.header();
        double bpp = bytes.length * 8.0 / ((double) h.width() * h.height());
        var o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "file:            %s%n", input);
        o.printf(Locale.ROOT, "format version:  %d%n", SdcHeader.VERSION);
        o.printf(Locale.ROOT, "image size:      %d x %d%n", h.width(), h.height());
        o.printf(Locale.ROOT, "bundle:          %s (fingerprint %s)%n", h.bundleName(), HexFormat.of().formatHex(h.fingerprint()));
        o.printf(Locale.ROOT, "latent:          %d channels x %d x %d (factor %d)%n", h.channels(), h.latentHeight(), h.latentWidth(), h.factor());
        o.printf(Locale.ROOT, "quantizer:       %s, 8-bit over [%s, %s]%n", h.mode() == SdcHeader.MODE_PALETTE ? "palette" : "mode " + h.mode(),
                h.quantMin(), h.quantMax());
        o.printf(Locale.ROOT, "palette size:    %d%n", file.latent().paletteSize());
        o.printf(Locale.ROOT, "denoise default: strength %s, %d steps%n", h.strength(), h.steps());
        o.printf(Locale.ROOT, "bytes:           %d%n", bytes.length);
        o.printf(Locale.ROOT, "bpp:             %.4f%n", bpp);
        o.flush();
        return 0;
    }
}
