package dev.sdc.model;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;

/** The model bundle is missing, malformed, fails its checksums, cannot be loaded, or does not match a file. */
public final class ModelException extends SdcException {
    public ModelException(String message) {
        super(ExitCode.MODEL, message);
    }

    public ModelException(String message, Throwable cause) {
        super(ExitCode.MODEL, message, cause);
    }
}
