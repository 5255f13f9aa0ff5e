package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.image.ImageFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Argument checks done before any expensive work, so a doomed run fails in milliseconds. */
final class Checks {
    /** A .sdc file is never legitimately this large; refuse before reading it into memory. */
    static final long MAX_SDC_BYTES = 256L << 20;

    private Checks() {
    }

    static void range(String option, long value, long lo, long hi) {
        if (value < lo || value > hi) {
            throw new SdcException(ExitCode.USAGE, option + " must be " + lo + ".." + hi + ", got " + value);
        }
    }

    static void range(String option, float value, float lo, float hi) {
        if (!(value >= lo && value <= hi)) {
            throw new SdcException(ExitCode.USAGE, option + " must be " + lo + ".." + hi + ", got " + value);
        }
    }

    static void imageExtension(Path output) {
        if (!ImageFiles.WRITABLE.contains(ImageFiles.extension(output))) {
            throw new SdcException(ExitCode.USAGE, "unsupported output extension for " + output
                    + " (use .png, .jpg, .bmp or .tif)");
        }
    }

    static void outputFolderExists(Path output) {
        Path dir = output.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new SdcException(ExitCode.IO, "cannot write " + output + ": folder " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new SdcException(ExitCode.IO, "cannot write " + output + ": folder " + dir + " is not writable");
        }
        if (Files.isDirectory(output)) {
            throw new SdcException(ExitCode.IO, "cannot write " + output + ": it is a folder");
        }
    }

    static byte[] readInput(Path input) {
        try {
            if (Files.isDirectory(input)) {
                throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + input + ": it is a folder");
            }
            long size = Files.size(input);
            if (size > MAX_SDC_BYTES) {
                throw new SdcException(ExitCode.BAD_INPUT, input + ": too large for a .sdc file (" + size + " bytes)");
            }
            return Files.readAllBytes(input);
        } catch (NoSuchFileException e) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + input + ": no such file");
        } catch (IOException e) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + input + ": " + e.getMessage());
        }
    }
}
