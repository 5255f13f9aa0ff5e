package dev.sdc.spark;

import dev.sdc.codec.ImageCodec;
import dev.sdc.model.DjlRuntime;
import dev.sdc.model.MemoryBudget;
import org.apache.spark.SparkFiles;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which model bundle and memory budget the tasks use, and the codec they get for it: one per executor JVM
 * ({@link ImageCodec#shared}), loaded by the first task and shared by every task thread after it.
 *
 * @param model    bundle folder: a path every executor can read (a shared mount), or the name under which
 *                 {@code spark-submit --archives bundle.zip#NAME} unpacked it; null for the bundle built
 *                 into sdc
 * @param budgetMb memory budget per network call in MB (sdc's --max-memory); 0: the bundle's own default
 */
record Bundles(String model, long budgetMb) implements Serializable {
    /** The folder this JVM loads: the path itself if it is a folder here, else the shipped archive. */
    Path resolve() {
        if (model == null) {
            return null;
        }
        Path direct = Path.of(model);
        if (Files.isDirectory(direct)) {
            return direct;
        }
        try {
            Path shipped = Path.of(SparkFiles.get(model));
            if (Files.isDirectory(shipped)) {
                return shipped;
            }
        } catch (RuntimeException e) {
            // no SparkContext files here (driver-side checks outside a job): fall through
        }
        return direct; // Bundle.load names the missing folder
    }

    /** The JVM-wide codec; a missing or broken bundle throws here and fails the task (not a row). */
    ImageCodec codec() {
        DjlRuntime.configure(); // ai.djl.offline before any DJL class loads, in executors too
        return ImageCodec.shared(resolve(),
                budgetMb == 0 ? MemoryBudget.BUNDLE_DEFAULT : MemoryBudget.ofMegabytes(budgetMb));
    }
}
