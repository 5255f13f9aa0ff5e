package dev.sdc.eval;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Per-stage timing of the codec pipeline, run by scripts/bench. The stages themselves come from the codec
 * through a {@link StageSource} registered in META-INF/services/dev.sdc.eval.StageBenchmark$StageSource
 * (the lead wires the real one); this class only repeats them and prints min / median / mean per stage.
 */
public final class StageBenchmark {
    /** One named piece of work; {@code run} does it once. Stages of one iteration run in list order. */
    public record Stage(String name, Runnable run) {
    }

    /** Builds, from the command-line arguments, a supplier of one fresh iteration's stages. */
    public interface StageSource {
        Supplier<List<Stage>> stages(String[] args);
    }

    private StageBenchmark() {
    }

    public static void main(String[] args) {
        int warmup = intArg(args, "--warmup", 1);
        int repeats = intArg(args, "--repeats", 5);
        StageSource source = ServiceLoader.load(StageSource.class).findFirst().orElse(null);
        if (source == null) {
            System.err.println("sdc bench: no StageSource registered (META-INF/services/dev.sdc.eval.StageBenchmark$StageSource)");
            System.exit(1);
        }
        run(source.stages(args), warmup, repeats, System.out);
    }

    /**
     * Runs {@code warmup} untimed iterations, then {@code repeats} timed ones; each iteration asks the supplier
     * for its stages (so a stage can use the previous stage's output) and times each with {@link System#nanoTime}.
     *
     * @return milliseconds per stage name, one entry per timed iteration
     */
    public static Map<String, double[]> run(Supplier<List<Stage>> stages, int warmup, int repeats, PrintStream out) {
        for (int i = 0; i < warmup; i++) {
            stages.get().forEach(s -> s.run().run());
        }
        Map<String, List<Double>> times = new LinkedHashMap<>();
        for (int i = 0; i < repeats; i++) {
            for (Stage s : stages.get()) {
                long t0 = System.nanoTime();
                s.run().run();
                times.computeIfAbsent(s.name(), k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e6);
            }
        }
        Map<String, double[]> result = new LinkedHashMap<>();
        out.printf(Locale.ROOT, "%-24s %10s %10s %10s  (ms, %d runs, %d warm-up)%n", "stage", "min", "median", "mean",
                repeats, warmup);
        double total = 0;
        for (Map.Entry<String, List<Double>> e : times.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            result.put(e.getKey(), v);
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            total += mean;
            out.printf(Locale.ROOT, "%-24s %10.1f %10.1f %10.1f%n", e.getKey(), sorted[0], sorted[sorted.length / 2], mean);
        }
        out.printf(Locale.ROOT, "%-24s %10s %10s %10.1f%n", "total", "", "", total);
        return result;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
