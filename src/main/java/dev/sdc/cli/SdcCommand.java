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
     * bars), whether stdout is (image bytes are not written there without --force) and whether stdin is
     * (never read as '-': the command would wait, silent, for bytes nobody can type).
     */
    record Stdio(InputStream in, OutputStream out, boolean terminal, boolean outTerminal, boolean inTerminal) {
        Stdio(InputStream in, OutputStream out, boolean terminal) {
            this(in, out, terminal, false, false);
        }

        /** Refuses '-' as an input when stdin is a terminal (usage error), as zstd does ("stdin is a console"). */
        void checkInput() {
            if (inTerminal) {
                throw new dev.sdc.SdcException(dev.sdc.ExitCode.USAGE,
                        "refusing to read binary data from a terminal: redirect stdin (sdc ... - < file) or name the file");
            }
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
