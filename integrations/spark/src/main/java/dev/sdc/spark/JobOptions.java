package dev.sdc.spark;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.model.MemoryBudget;
import picocli.CommandLine.Option;

/** Options both jobs share: bundle, memory budget, manifest and partitioning. */
final class JobOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "DIR",
            description = "Model bundle: a folder every executor can read, or the NAME of "
                    + "'spark-submit --archives bundle.zip#NAME' (default: $SDC_MODEL, else the bundle built into sdc).")
    String model;

    @Option(names = "--max-memory", paramLabel = "MB",
            description = "Memory budget per network call in MB, as sdc's --max-memory (default: $SDC_MAX_MEMORY, "
                    + "else the bundle's own, else " + MemoryBudget.DEFAULT_MB + "). Every executor core may use this much at once.")
    String maxMemory;

    @Option(names = "--manifest", paramLabel = "PATH",
            description = "Where the Parquet manifest goes (default: OUTPUT/_manifest; replaced on every run).")
    String manifest;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Number of tasks (default: files / --files-per-partition, at least the default parallelism).")
    Integer partitions;

    @Option(names = "--files-per-partition", paramLabel = "N", defaultValue = "64",
            description = "Files per task when --partitions is not given (default: ${DEFAULT-VALUE}).")
    int filesPerPartition;

    @Option(names = {"-f", "--force"},
            description = "Make every output again. Without it a rerun keeps each output that is already valid "
                    + "for the bundle, whatever options made it (status skipped): pass --force after changing options.")
    boolean force;

    /** Usage errors before Spark starts (exit 2). */
    void check() {
        if (partitions != null && partitions < 1) {
            throw new SdcException(ExitCode.USAGE, "--partitions must be at least 1, got " + partitions);
        }
        if (filesPerPartition < 1) {
            throw new SdcException(ExitCode.USAGE, "--files-per-partition must be at least 1, got " + filesPerPartition);
        }
        bundles(); // a malformed --max-memory or $SDC_MAX_MEMORY
    }

    Bundles bundles() {
        String dir = model != null ? model : System.getenv("SDC_MODEL");
        MemoryBudget budget = maxMemory != null ? MemoryBudget.parseMegabytes(maxMemory, "--max-memory")
                : MemoryBudget.fromEnvironment();
        return new Bundles(dir == null || dir.isBlank() ? null : dir, budget.bytes() >> 20);
    }

    String manifest(String output) {
        return manifest != null ? manifest : output.replaceAll("/+$", "") + "/_manifest";
    }
}
