package dev.sdc.bitstream;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;

/** A .sdc byte stream violates docs/FORMAT.md: truncated, corrupted, out-of-bounds field, bad CRC. */
public final class FormatException extends SdcException {
    public FormatException(String message) {
        super(ExitCode.BAD_INPUT, message);
    }
}
