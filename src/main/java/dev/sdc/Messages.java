package dev.sdc;

/**
 * How sdc's tools word what goes to stderr: a message as one printable line, a bug's one-line report, the
 * out-of-memory line, the stack trace only with {@code SDC_DEBUG=1}. The CLI ({@code dev.sdc.cli.Main}) and
 * the measurement tools ({@link ToolMain}) share them.
 */
public final class Messages {
    /** What an OutOfMemoryError is reported as (per file in a batch). */
    public static final String OUT_OF_MEMORY = "out of memory (raise the Java heap with SDC_JAVA_OPTS=-Xmx..., or use a smaller image)";

    private Messages() {
    }

    /** The one-line report of a bug (an exception that is no {@link SdcException}), without the "sdc: " prefix. */
    public static String internalError(Throwable ex) {
        return "internal error: " + ex.getClass().getSimpleName() + ": " + oneLine(ex.getMessage())
                + " (set SDC_DEBUG=1 for a stack trace)";
    }

    /** The stack trace, only with {@code SDC_DEBUG=1}. */
    public static void debug(java.io.PrintWriter err, Throwable ex) {
        if ("1".equals(System.getenv("SDC_DEBUG"))) {
            ex.printStackTrace(err);
        }
    }

    /**
     * A message as one printable line: line breaks (with the blanks around them) become one space, and any
     * other control character a '?', as {@code ls} shows it on a terminal. A file named with a newline or an
     * escape sequence then cannot split a report line, nor drive the terminal.
     */
    public static String oneLine(String message) {
        return message == null ? "" : printable(message.replaceAll("\\s*\\R\\s*", " ")).strip();
    }

    /** {@code s} with each control character (C0, DEL, C1) replaced by '?'. */
    public static String printable(String s) {
        return CONTROL.matcher(s).replaceAll("?");
    }

    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("[\\p{Cntrl}\\x80-\\x9F]");
}
