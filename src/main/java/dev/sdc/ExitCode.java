package dev.sdc;

/** Process exit codes, documented in README.md; scripts rely on them, so never renumber. */
public enum ExitCode {
    OK(0),
    /** A bug: an exception sdc did not anticipate. */
    INTERNAL(1),
    /** Bad command line: unknown option, missing argument, value out of range, unsupported output extension. */
    USAGE(2),
    /** The input is missing, unreadable, not an image, or a corrupt/unsupported .sdc file. */
    BAD_INPUT(3),
    /** The model bundle is missing, invalid, fails to load, or is not the one a .sdc file was made with. */
    MODEL(4),
    /** Writing the output failed (missing or unwritable folder, disk full). */
    IO(5),
    /** A batch: several files failed, not all for the same reason (each failure printed its own line). */
    SOME_FAILED(6),
    /** A size target (--size/--bpp) below the smallest file sdc can make of that image. */
    TARGET_UNREACHABLE(7);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
