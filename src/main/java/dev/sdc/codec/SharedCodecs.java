package dev.sdc.codec;

import dev.sdc.model.Bundle;
import dev.sdc.model.DefaultBundle;
import dev.sdc.model.MemoryBudget;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loaded codec per (bundle folder, memory budget) for the life of the JVM. Engines that call sdc per
 * record (a Spark executor, an ImageIO reader, a batch worker pool) get the same instance every time, so
 * the model bundle is verified and its networks are loaded once per process, not once per image.
 *
 * <p>The instances are thread-safe ({@link BundleCodec}) and their {@code close()} does nothing: native
 * memory is released when the process ends. Code that wants to free a model early opens its own
 * {@link BundleCodec} instead.
 */
public final class SharedCodecs {
    private record Key(Path bundleDir, long budgetBytes) {
    }

    /** By the budget asked for, so a repeated call neither loads nor hashes the bundle again. */
    private static final Map<Key, BundleCodec> BY_REQUEST = new ConcurrentHashMap<>();
    /**
     * By the budget resolved against the bundle: {@link MemoryBudget#BUNDLE_DEFAULT} and the same budget asked for
     * by its number (the CLI's default and {@code --max-memory 256} for {@code tiny}) share one loaded model.
     */
    private static final Map<Key, BundleCodec> BY_BUDGET = new ConcurrentHashMap<>();

    private SharedCodecs() {
    }

    /**
     * The shared codec for {@code bundleDir} ({@code null}: {@code $SDC_MODEL}, else the bundle built into
     * sdc), its networks held to {@code budget} per call ({@link MemoryBudget#BUNDLE_DEFAULT}: the bundle's own). Loads and checks the bundle on first use.
     *
     * @throws dev.sdc.model.ModelException if the bundle is missing or invalid (nothing is cached then)
     */
    public static BundleCodec get(Path bundleDir, MemoryBudget budget) {
        Path dir = canonical(DefaultBundle.resolve(bundleDir));
        // DefaultBundle.load re-extracts a damaged embedded copy; a folder the user named is loaded as it is
        return BY_REQUEST.computeIfAbsent(new Key(dir, budget.bytes()), k -> {
            Bundle bundle = bundleDir == null ? DefaultBundle.load(null) : Bundle.load(dir);
            MemoryBudget resolved = budget.resolve(bundle);
            return BY_BUDGET.computeIfAbsent(new Key(dir, resolved.bytes()), r -> new BundleCodec(bundle, resolved, false));
        });
    }

    /** {@link #get(Path, MemoryBudget)} with {@code $SDC_MAX_MEMORY}, else the bundle's default budget. */
    public static BundleCodec get(Path bundleDir) {
        return get(bundleDir, MemoryBudget.fromEnvironment());
    }

    private static Path canonical(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize(); // Bundle.load reports the missing folder
        }
    }
}
