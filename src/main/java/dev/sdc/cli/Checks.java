package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.image.ImageFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Argument checks done before any expensive work, so a doomed run fails in milliseconds. */
final class Checks {
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

    /**
     * An empty argument ({@code sdc decode x.sdc ""}, {@code -o ""}) is a usage error: Java reads it as the
     * current folder, which gave "cannot write : it is a folder" or, for {@code -o ""}, silently wrote there.
     */
    static void named(java.util.Collection<Path> paths, String what) {
        for (Path p : paths) {
            if (p != null && p.toString().isEmpty()) {
                throw new SdcException(ExitCode.USAGE, "an empty " + what + " ('') names no file or folder");
            }
        }
    }

    static void imageExtension(Path output) {
        if (!ImageFiles.WRITABLE.contains(ImageFiles.extension(output))) {
            throw new SdcException(ExitCode.USAGE, "unsupported output extension for " + output
                    + " (use .png, .jpg, .bmp or .tif)");
        }
    }

    /** A file's size for reports (0 if it cannot be told: the summary is then only short of it). */
    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    static byte[] readInput(Path input) {
        return SdcReader.readBytes(input);
    }

    /** Refuses to let an output replace its own input (e.g. {@code sdc encode a.png a.png}). */
    static void notSameFile(Path input, Path output) {
        try {
            if (Files.exists(output) && Files.exists(input) && Files.isSameFile(input, output)) {
                throw new SdcException(ExitCode.USAGE, "output " + output + " is the input file; choose another name");
            }
        } catch (IOException e) {
            // cannot tell: the later read or write reports the real problem
        }
    }
}
