package dev.sdc.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a fresh JVM on the test class path. For what is fixed once per process when libtorch
 * loads (its thread count, its log threshold), which a test cannot change inside Surefire's JVM, and for what
 * only a whole process shows (how it ends on a signal: {@code dev.sdc.cli.ProcessCliTest}).
 *
 * <p>The child gets {@code ai.djl.offline=true} and the DJL cache folders of this JVM, and
 * {@code SDC_THREADS} and {@code TORCH_CPP_LOG_LEVEL} are unset unless {@code env} sets them.
 */
public final class ChildJvm {
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private ChildJvm() {
    }

    public static Result run(Path dir, Map<String, String> env, String mainClass, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder pb = builder(env, mainClass, args);
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(mainClass + " " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
                Files.readString(err, StandardCharsets.UTF_8).strip());
    }

    /** The command and environment of {@link #run}, for a caller that drives the process itself. */
    public static ProcessBuilder builder(Map<String, String> env, String mainClass, String... args) {
        String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-Djava.awt.headless=true", "-Dai.djl.offline=true"));
        for (String key : new String[] {"DJL_CACHE_DIR", "ENGINE_CACHE_DIR"}) {
            if (System.getProperty(key) != null) {
                cmd.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        cmd.addAll(List.of("-cp", classPath, mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove(DjlRuntime.THREADS_ENV);
        pb.environment().remove(NativeLogLevel.ENV);
        pb.environment().putAll(env);
        return pb;
    }
}
