package dev.sdc.cli;

import dev.sdc.VersionProvider;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.io.OutputStream;

/** The top-level {@code sdc} command; it only dispatches to subcommands. */
@Command(name = "sdc",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Compresses photographs into the latent space of a Stable-Diffusion-style autoencoder.",
        subcommands = {EncodeCommand.class, DecodeCommand.class, InfoCommand.class, CompletionCommand.class}, // eval is added in Main: it takes a codec factory
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0  success",
                "  1  internal error (a bug; SDC_DEBUG=1 prints a stack trace)",
                "  2  usage error (bad option or argument)",
                "  3  bad input: missing or unreadable image, corrupt or unsupported .sdc file",
                "  4  model problem: bundle missing/invalid, or not the bundle a file was made with",
                "  5  output could not be written (or exists: use --force)",
                "  6  several files failed for different reasons (each printed its own error)"})
public final class SdcCommand implements Runnable {
    /** The binary standard streams ({@code -} as input or output) and whether stderr is a terminal. */
    record Stdio(InputStream in, OutputStream out, boolean terminal) {
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final Stdio stdio;

    SdcCommand(Stdio stdio) {
        this.stdio = stdio;
    }

    Stdio stdio() {
        return stdio;
    }

    /** The streams of {@code root}, or the process's own when a command runs without the sdc root. */
    static Stdio stdioOf(SdcCommand root) {
        return root != null ? root.stdio : new Stdio(System.in, System.out, false);
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command: encode, decode, info, eval or completion");
    }
}
