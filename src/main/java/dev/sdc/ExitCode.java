package dev.sdc;

/**
 * Process exit codes, documented in README.md and listed by {@code sdc --help} (from {@link #help()}, so the
 * two cannot drift); scripts rely on them, so never renumber.
 */
public enum ExitCode {
    OK(0, "success"),
    /** A bug: an exception sdc did not anticipate. */
    INTERNAL(1, "internal error (a bug; SDC_DEBUG=1 prints a stack trace)"),
    /** Bad command line: unknown option, missing argument, value out of range, unsupported output extension. */
    USAGE(2, "usage error (bad option or argument)"),
    /** The input is missing, unreadable, not an image, or a corrupt/unsupported .sdc file. */
    BAD_INPUT(3, "bad input: missing or unreadable image, corrupt or unsupported .sdc"),
    /** The model bundle is missing, invalid, fails to load, or is not the one a .sdc file was made with. */
    MODEL(4, "model problem: bundle missing or invalid, or not the file's bundle"),
    /** Writing the output failed (missing or unwritable folder, disk full). */
    IO(5, "output could not be written (or exists: use --force)"),
    /** A batch: several files failed, not all for the same reason (each failure printed its own line). */
    SOME_FAILED(6, "several files failed for different reasons (each printed its error)"),
    /** A size target (--size/--bpp) below the smallest file sdc can make of that image. */
    TARGET_UNREACHABLE(7, "--size/--bpp target below the smallest file of that image"),
    /**
     * Whoever read stdout went away ({@code sdc info *.sdc | head -1}): silent, with the code a C tool gets
     * when SIGPIPE kills it (128 + 13), so pipelines and {@code set -o pipefail} see what they see of others.
     */
    BROKEN_PIPE(141, "stdout's reader went away (| head): silent, as SIGPIPE kills others");

    /** Whether {@code e} is the write error of a pipe whose reader has gone (EPIPE). */
    public static boolean isBrokenPipe(java.io.IOException e) {
        return e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("broken pipe");
    }

    /**
     * A batch's exit code from its failures' codes: 0 for none, the code itself when all failed for one
     * reason, else {@link #SOME_FAILED}. The CLI's batches, {@code sdc info} and the Spark jobs share it.
     */
    public static int ofFailures(java.util.Collection<Integer> failureCodes) {
        java.util.Set<Integer> distinct = new java.util.TreeSet<>(failureCodes);
        if (distinct.isEmpty()) {
            return OK.code;
        }
        return distinct.size() == 1 ? distinct.iterator().next() : SOME_FAILED.code;
    }

    private final int code;
    private final String help;

    ExitCode(int code, String help) {
        this.code = code;
        this.help = help;
    }

    public int code() {
        return code;
    }

    /** One line for {@code sdc --help}, at most 70 characters so that "  N  " and it fit 80 columns. */
    public String help() {
        return help;
    }
}
