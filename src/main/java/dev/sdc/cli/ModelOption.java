package dev.sdc.cli;

import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.SharedCodecs;
import dev.sdc.model.MemoryBudget;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --model DIR} and {@code --max-memory MB}, shared by the commands that need networks. */
final class ModelOption {
    @Option(names = {"-m", "--model"}, paramLabel = "DIR",
            description = "Model bundle folder (default: $SDC_MODEL, else the bundle built into sdc).")
    Path model;

    @Option(names = "--max-memory", paramLabel = "MB",
            description = "Memory budget per network call in MB (default: $SDC_MAX_MEMORY, else the bundle's own, "
                    + "its bundle.json memory.default_budget_mb, else " + MemoryBudget.DEFAULT_MB + "); "
                    + "larger images are processed in overlapping tiles. "
                    + "Bounds the networks' native memory; the image itself and the JVM come on top.")
    String maxMemory;

    /**
     * The budget from {@code --max-memory}, else {@code $SDC_MAX_MEMORY}, else {@link MemoryBudget#BUNDLE_DEFAULT};
     * usage error if malformed.
     */
    MemoryBudget budget() {
        return maxMemory != null
                ? MemoryBudget.parseMegabytes(maxMemory, "--max-memory")
                : MemoryBudget.parseMegabytes(System.getenv(MemoryBudget.ENV), "$" + MemoryBudget.ENV);
    }

    /**
     * The settings a network load would refuse, checked before the first file: a malformed one is the
     * command's usage error, not a failure of whichever file happened to load the networks.
     */
    void check() {
        budget();
        dev.sdc.model.DjlRuntime.checkEnvironment();
    }

    /** The process-wide codec for this bundle and budget: loaded once, shared by every batch worker. */
    BundleCodec sharedCodec() {
        return SharedCodecs.get(model, budget());
    }
}
