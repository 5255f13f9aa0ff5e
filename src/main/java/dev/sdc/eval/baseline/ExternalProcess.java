package dev.sdc.eval.baseline;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs the external encoders, decoders and butteraugli, and finds them on the PATH. */
public final class ExternalProcess {
    /** No single tool call on an image should take this long; a hung tool must not hang the evaluation. */
    private static final long TIMEOUT_MINUTES = 10;

    /** Exit status, merged stdout+stderr, and wall time of one finished process. */
    public record Result(int exitCode, String output, double millis) {
    }

    private ExternalProcess() {
    }

    /** The executable's path if a file of that name on the PATH is executable. */
    public static Optional<Path> which(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs a command to completion; failing to start or time-out is an IO {@link SdcException}. */
    public static Result run(List<String> command, Path workDir) {
        Path log;
        try {
            // Output goes to a file, not a pipe: nothing can block on a full pipe, so waitFor's timeout holds.
            // in the work folder when there is one: eval's scratch folder, which a signal's cleanup removes
            log = workDir != null ? Files.createTempFile(workDir, ".tool-", ".log") : Files.createTempFile("sdc-tool-", ".log");
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "cannot create a temporary file: " + e.getMessage());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteQuietly(log);
            throw new SdcException(ExitCode.IO, "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new SdcException(ExitCode.IO, render(command) + ": timed out after " + TIMEOUT_MINUTES + " minutes");
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return new Result(process.exitValue(), text, (System.nanoTime() - start) / 1e6);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new SdcException(ExitCode.IO, render(command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SdcException(ExitCode.IO, render(command) + ": interrupted");
        } finally {
            deleteQuietly(log);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stray temp file is harmless
        }
    }

    /** Like {@link #run} but a non-zero exit status is an IO {@link SdcException} quoting the tool's last line. */
    public static Result runChecked(List<String> command, Path workDir) {
        Result r = run(command, workDir);
        if (r.exitCode() != 0) {
            String[] lines = r.output().strip().split("\n");
            throw new SdcException(ExitCode.IO, render(command) + " failed (exit " + r.exitCode() + "): "
                    + lines[lines.length - 1]);
        }
        return r;
    }

    /** First line of a tool's version output, or "unknown". */
    public static String firstLine(List<String> command) {
        try {
            String out = run(command, null).output().strip();
            return out.isEmpty() ? "unknown" : out.lines().findFirst().orElse("unknown");
        } catch (SdcException e) {
            return "unknown";
        }
    }

    /** A command as one shell-style line (arguments with spaces single-quoted), for reports. */
    public static String render(List<String> command) {
        return command.stream()
                .map(a -> a.isEmpty() || a.matches(".*[\\s'\"$\\\\].*") ? "'" + a.replace("'", "'\\''") + "'" : a)
                .collect(Collectors.joining(" "));
    }
}
