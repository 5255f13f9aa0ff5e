package dev.sdc;

/**
 * Base of every failure sdc reports to a user. Each kind carries the process exit code the CLI uses, so
 * the library decides what went wrong and the CLI only prints {@link #getMessage()} on one line.
 */
public class SdcException extends RuntimeException {
    private final ExitCode exitCode;

    public SdcException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public SdcException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
