package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.Messages;
import dev.sdc.SdcException;
import dev.sdc.codec.BundleCodec;
import dev.sdc.eval.EvalCommand;
import dev.sdc.io.Terminal;
import dev.sdc.io.WatchedOutput;
import dev.sdc.model.DefaultBundle;
import dev.sdc.model.DjlRuntime;
import dev.sdc.model.MemoryBudget;
import picocli.CommandLine;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * Entry point. Sets {@code ai.djl.offline} before any DJL class can load (DJL otherwise probes a cloud
 * metadata address at start-up), then hands over to picocli. Every failure ends as one line on stderr and a
 * documented exit code (see {@link ExitCode}); stack traces only with {@code SDC_DEBUG=1}.
 */
public final class Main {
    static {
        System.setProperty("ai.djl.offline", "true");
    }

    private Main() {
    }

    public static void main(String[] args) {
        SignalExit.install();
        javax.imageio.ImageIO.setUseCache(false); // the process's own choice: no ImageIO temporary files
        // '-' output goes to fd 1 unwrapped: System.out is a PrintStream, which swallows write errors, so a full
        // disk or a closed pipe behind "sdc decode x.sdc - > y.png" would exit 0 with a truncated file
        WatchedOutput text = new WatchedOutput(new FileOutputStream(FileDescriptor.out));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(text, Charset.defaultCharset()), true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, stdin(), new FileOutputStream(FileDescriptor.out), Terminal.stderr(), Terminal.stdout(),
                Terminal.stdin(), out, err);
        System.exit(stdoutChecked(code, out, text, err));
    }

    /**
     * System.in, or a stream whose reads fail with "it is closed" when the launcher found fd 0 closed
     * ({@code -Dsdc.stdinClosed=true}, scripts/sdc): it then gives the JVM /dev/null, because a closed fd 0 is
     * reused by the first file the JVM opens, and reading "stdin" would read that file.
     */
    static java.io.InputStream stdin() {
        if (!Boolean.getBoolean("sdc.stdinClosed")) {
            return System.in;
        }
        return new java.io.InputStream() {
            @Override
            public int read() throws java.io.IOException {
                throw new java.io.IOException("it is closed");
            }
        };
    }

    /**
     * {@code code}, or 5 with one line if the text on stdout (info, --help, completion) could not all be
     * written: a full disk or a closed pipe must not look like success.
     */
    static int stdoutChecked(int code, PrintWriter out, WatchedOutput text, PrintWriter err) {
        out.flush();
        if (text.failure() == null || code != 0) {
            return code;
        }
        if (ExitCode.isBrokenPipe(text.failure())) {
            return ExitCode.BROKEN_PIPE.code(); // "sdc info *.sdc | head -1": silent, as SIGPIPE kills others
        }
        String why = text.failure().getMessage();
        err.println("sdc: error: cannot write stdout" + (why == null ? "" : ": " + why));
        return ExitCode.IO.code();
    }

    /** Runs the CLI and returns the exit code; the tests call this directly. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, System.in, System.out, false, out, err);
    }

    /**
     * Runs the CLI with the given binary stdin/stdout (for {@code -} as input or output) and text streams;
     * {@code terminal}: stderr is a terminal (progress bars).
     */
    public static int run(String[] args, java.io.InputStream stdin, java.io.OutputStream stdout, boolean terminal,
                          PrintWriter out, PrintWriter err) {
        return run(args, stdin, stdout, terminal, false, false, out, err);
    }

    /** As below, with stdin not a terminal. */
    static int run(String[] args, java.io.InputStream stdin, java.io.OutputStream stdout, boolean terminal,
                   boolean stdoutTerminal, PrintWriter out, PrintWriter err) {
        return run(args, stdin, stdout, terminal, stdoutTerminal, false, out, err);
    }

    /**
     * As above; {@code stdoutTerminal}: stdout is a terminal, where '-' output is refused without --force;
     * {@code stdinTerminal}: stdin is one, where '-' input is refused.
     */
    static int run(String[] args, java.io.InputStream stdin, java.io.OutputStream stdout, boolean terminal,
                   boolean stdoutTerminal, boolean stdinTerminal, PrintWriter out, PrintWriter err) {
        DjlRuntime.configure();
        CommandLine cmd = new CommandLine(new SdcCommand(new SdcCommand.Stdio(stdin, stdout, terminal, stdoutTerminal, stdinTerminal)));
        cmd.addSubcommand("eval", new EvalCommand(model -> new BundleCodec(DefaultBundle.load(model),
                MemoryBudget.fromEnvironment())));
        // '@name' is a file name like any other (Canon's "@2x.png", a folder "@in"), never picocli's argument file
        cmd.setExpandAtFiles(false);
        cmd.getCommandSpec().usageMessage().footer(exitCodeFooter());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            String message = ex.getMessage();
            if (ex instanceof CommandLine.MissingParameterException) {
                // picocli checks required arguments before it reports unknown options; "encode --bogus" is a typo
                // of an option, and "missing ARG" would send the user looking in the wrong place
                String unknown = unknownOption(c.getCommandSpec(), a);
                message = unknown != null ? "Unknown option: '" + unknown + "'" : message;
            }
            // one line, as every sdc error: the hint goes at its end
            c.getErr().println("sdc: " + Messages.oneLine(message) + " (see '" + c.getCommandSpec().qualifiedName()
                    + " --help')");
            return ExitCode.USAGE.code();
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof SdcException se) {
                if (se.exitCode() == ExitCode.BROKEN_PIPE) {
                    return se.exitCode().code();
                }
                c.getErr().println("sdc: error: " + Messages.oneLine(se.getMessage()));
                Messages.debug(c.getErr(), ex);
                return se.exitCode().code();
            }
            c.getErr().println("sdc: " + Messages.internalError(ex));
            Messages.debug(c.getErr(), ex);
            return ExitCode.INTERNAL.code();
        });
        int code;
        try {
            code = cmd.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("sdc: error: " + Messages.OUT_OF_MEMORY);
            code = ExitCode.INTERNAL.code();
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The first argument that looks like an option {@code spec} does not have, or null. Clustered short
     * options ({@code -qf}) count as known when each letter is; "--" ends the options, "-" is stdin.
     */
    static String unknownOption(CommandLine.Model.CommandSpec spec, String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return null;
            }
            if (!arg.startsWith("-") || arg.equals("-") || arg.matches("-\\d.*")) {
                continue;
            }
            String name = arg.split("=", 2)[0];
            if (spec.findOption(name) == null && (arg.startsWith("--") || !knownCluster(spec, arg))) {
                return name;
            }
        }
        return null;
    }

    /** {@code -qf}, {@code -j4}: short options, the last of which may take the rest as its value. */
    private static boolean knownCluster(CommandLine.Model.CommandSpec spec, String arg) {
        for (int i = 1; i < arg.length(); i++) {
            CommandLine.Model.OptionSpec o = spec.findOption("-" + arg.charAt(i));
            if (o == null) {
                return false;
            }
            if (o.arity().max() > 0 && !o.type().equals(boolean.class)) {
                return true; // the rest of the token is this option's value
            }
        }
        return true;
    }

    /** {@code sdc --help}'s list of exit codes, one line each. */
    static String[] exitCodeFooter() {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(ExitCode.values())
                        .map(c -> "  " + c.code() + "  " + c.help().replace("%", "%%")),
                java.util.stream.Stream.of("  " + SignalExit.HELP)).toArray(String[]::new);
    }
}
