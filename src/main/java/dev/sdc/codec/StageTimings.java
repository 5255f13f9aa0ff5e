package dev.sdc.codec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Wall-clock time per pipeline stage of the last encode or decode, in insertion order. The CLI prints it
 * with {@code --verbose}; the benchmark and eval read it.
 */
public final class StageTimings {
    private final Map<String, Long> nanos = new LinkedHashMap<>();

    /** Runs {@code work}, adds its duration to {@code stage}, and returns its result. */
    public <T> T time(String stage, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            nanos.merge(stage, System.nanoTime() - start, Long::sum);
        }
    }

    public void time(String stage, Runnable work) {
        time(stage, () -> {
            work.run();
            return null;
        });
    }

    /** Stage name → milliseconds, in the order stages first ran. */
    public Map<String, Double> millis() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(k, v / 1e6));
        return out;
    }

    public double totalMillis() {
        return nanos.values().stream().mapToLong(Long::longValue).sum() / 1e6;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        millis().forEach((k, v) -> sb.append(String.format(java.util.Locale.ROOT, "%s %.1f ms; ", k, v)));
        sb.append(String.format(java.util.Locale.ROOT, "total %.1f ms", totalMillis()));
        return sb.toString();
    }
}
