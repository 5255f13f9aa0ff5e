package dev.sdc;

import java.io.PrintWriter;

/**
 * The CLI's manners for the measurement tools that the scripts run with {@code java -cp target/sdc.jar
 * dev.sdc....} (RateSweep, MemoryProbe, MetadataReport, CoderComparison): a bad argument or input ends as one
 * line, {@code NAME: error: MESSAGE}, on stderr with the {@link SdcException}'s exit code ({@link ExitCode});
 * anything else is reported as the CLI reports a bug (exit 1, stack trace only with {@code SDC_DEBUG=1}).
 */
public final class ToolMain {
    private ToolMain() {
    }

    /** A tool's main body. */
    @FunctionalInterface
    public interface Body {
        void run(String[] args) throws Exception;
    }

    /**
     * Runs {@code body} with {@code args}; on a failure prints one line prefixed {@code name} (the script's
     * name, e.g. "measure-rate") and exits with its code. Returns normally when the body does.
     */
    public static void run(String name, String[] args, Body body) {
        int code = run(name, args, body, new PrintWriter(System.err, true));
        if (code != 0) {
            System.exit(code);
        }
    }

    /** As above, but returns the exit code instead of exiting (tests). */
    static int run(String name, String[] args, Body body, PrintWriter err) {
        try {
            body.run(args);
            return ExitCode.OK.code();
        } catch (SdcException e) {
            if (e.exitCode() == ExitCode.BROKEN_PIPE) {
                return e.exitCode().code();
            }
            err.println(name + ": error: " + Messages.oneLine(e.getMessage()));
            Messages.debug(err, e);
            return e.exitCode().code();
        } catch (OutOfMemoryError e) {
            err.println(name + ": error: " + Messages.OUT_OF_MEMORY);
            return ExitCode.INTERNAL.code();
        } catch (Exception e) {
            err.println(name + ": " + Messages.internalError(e));
            Messages.debug(err, e);
            return ExitCode.INTERNAL.code();
        } finally {
            err.flush();
        }
    }

    /** A usage error (exit 2) saying what is wrong, then the usage line. */
    public static SdcException usage(String problem, String usage) {
        return new SdcException(ExitCode.USAGE, problem + " (usage: " + usage + ")");
    }

    /**
     * {@code raw} as a whole number in {@code min..max}, else a usage error naming {@code what} (exit 2), as
     * the CLI's options are checked.
     */
    public static int intArg(String what, String raw, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new SdcException(ExitCode.USAGE, what + ": '" + raw + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw new SdcException(ExitCode.USAGE, what + ": " + v + " is not in " + min + ".." + max);
        }
        return v;
    }
}
