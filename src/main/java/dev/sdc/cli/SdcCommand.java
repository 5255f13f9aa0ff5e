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
        footerHeading = "%nExit codes:%n") // the footer lists ExitCode, see Main
public final class SdcCommand implements Runnable {
    /**
     * The binary standard streams ({@code -} as input or output), whether stderr is a terminal (progress
     * bars) and whether stdout is (image bytes are not written there without --force).
     */
    record Stdio(InputStream in, OutputStream out, boolean terminal, boolean outTerminal) {
        Stdio(InputStream in, OutputStream out, boolean terminal) {
            this(in, out, terminal, false);
        }
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
