package dev.sdc.eval.metrics;

import dev.sdc.eval.baseline.ExternalProcess;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Butteraugli distance through the external {@code butteraugli} binary (Debian package butteraugli, the
 * 2017 reference tool: prints the max-norm score on its first line). Absent binary → {@link #available()}
 * is false and {@link #score} returns NaN.
 */
public final class Butteraugli {
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private final Optional<Path> binary;

    private Butteraugli(Optional<Path> binary) {
        this.binary = binary;
    }

    /** Looks the binary up on the PATH. */
    public static Butteraugli onPath() {
        return new Butteraugli(ExternalProcess.which("butteraugli"));
    }

    /** An instance that always answers NaN (tests, or --no-butteraugli style callers). */
    public static Butteraugli disabled() {
        return new Butteraugli(Optional.empty());
    }

    public boolean available() {
        return binary.isPresent();
    }

    /** Score of a distorted PNG/JPEG against a reference PNG; NaN when absent or the tool fails. */
    public double score(Path reference, Path distorted) {
        if (binary.isEmpty()) {
            return Double.NaN;
        }
        ExternalProcess.Result r = ExternalProcess.run(
                List.of(binary.get().toString(), reference.toString(), distorted.toString()), null);
        return r.exitCode() == 0 ? parse(r.output()) : Double.NaN;
    }

    /** The first number in the tool's output, NaN if there is none. */
    static double parse(String output) {
        Matcher m = NUMBER.matcher(output);
        return m.find() ? Double.parseDouble(m.group()) : Double.NaN;
    }
}
