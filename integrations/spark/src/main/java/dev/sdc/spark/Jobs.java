package dev.sdc.spark;

import dev.sdc.SdcException;
import dev.sdc.model.DefaultBundle;
import dev.sdc.model.DjlRuntime;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** What the two jobs share: start-up, the run over the listed files, the manifest write and the summary line. */
final class Jobs {
    private Jobs() {
    }

    /** Runs a picocli job command and exits with its code; Spark itself comes from spark-submit. */
    static void main(Callable<Integer> job, String[] args) {
        DjlRuntime.configure(); // before any DJL class loads in the driver
        CommandLine cmd = new CommandLine(job);
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println(c.getCommandName() + ": error: " + Manifest.oneLine(ex));
            return ex instanceof SdcException se ? se.exitCode().code() : 1;
        });
        int code = cmd.execute(args);
        scala.Option<SparkSession> spark = SparkSession.getDefaultSession();
        if (spark.isDefined()) {
            spark.get().stop();
        }
        System.exit(code);
    }

    static SparkSession session(String appName) {
        return SparkSession.builder().appName(appName).getOrCreate();
    }

    /**
     * A job's {@code call()}: starts Spark, runs the job and prints its {@link #summary} line, timed from
     * when Spark is up (the model loads inside the job).
     */
    static int call(String appName, String what, String output, JobOptions job,
                    Function<SparkSession, Dataset<Row>> run) {
        SparkSession spark = session(appName);
        long start = System.nanoTime();
        Dataset<Row> manifest = run.apply(spark);
        summary(System.out, what, manifest, job.manifest(output), start);
        return 0;
    }

    /** Makes a job's task once the input and output roots are qualified. */
    interface TaskFactory {
        PartitionTask<?> create(String inputRoot, String outputRoot, HadoopConf conf);
    }

    /**
     * A job's {@code run()}: qualifies INPUT and OUTPUT, reports the bundle, lists the files under INPUT
     * whose names match {@code pattern}, runs the task over them and returns the manifest it wrote.
     */
    static Dataset<Row> run(SparkSession spark, String what, String input, String output, JobOptions job,
                            Bundles bundles, String pattern, TaskFactory tasks) {
        HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
        try {
            String in = HadoopFiles.qualified(input, conf.get()).toString();
            String out = HadoopFiles.qualified(output, conf.get()).toString();
            System.err.println(what + ": " + in + " -> " + out + ", " + checkBundle(bundles));
            Dataset<Row> files = Listing.files(spark, in, pattern, job.partitions, job.filesPerPartition);
            PartitionTask<?> task = tasks.create(in, out, conf);
            return writeManifest(spark, files.javaRDD().mapPartitions(task), job.manifest(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks the bundle in the driver when it can see it (fails fast on a missing or damaged bundle); a name
     * shipped with --archives may exist only on the executors, which check it there.
     */
    static String checkBundle(Bundles bundles) {
        Path dir = bundles.resolve();
        if (dir != null && !Files.isDirectory(dir)) {
            return "bundle '" + bundles.model() + "' (resolved on the executors)";
        }
        return "bundle " + DefaultBundle.load(dir).fingerprintHex();
    }

    /** Computes the rows, writes the manifest as Parquet and returns it read back (the rows run once). */
    static Dataset<Row> writeManifest(SparkSession spark, JavaRDD<Row> rows, String manifest) {
        spark.createDataFrame(rows, Manifest.SCHEMA).write().mode(SaveMode.Overwrite).parquet(manifest);
        return spark.read().parquet(manifest);
    }

    /**
     * One line: rows per status, wall time of the job (listing to manifest, after Spark and the JVM have
     * started), files per second, and the mean time of a row inside its task.
     */
    static void summary(PrintStream out, String what, Dataset<Row> manifest, String path, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        StringBuilder line = new StringBuilder(what).append(":");
        long total = 0;
        for (Row r : manifest.groupBy("status").count().orderBy("status").collectAsList()) {
            line.append(' ').append(r.getString(0)).append('=').append(r.getLong(1));
            total += r.getLong(1);
        }
        Row mean = manifest.agg(org.apache.spark.sql.functions.avg("millis")).first();
        line.append(String.format(java.util.Locale.ROOT, "; %d files in %.1f s = %.2f files/s; %.0f ms per file in a task",
                total, seconds, total / seconds, mean.isNullAt(0) ? 0.0 : mean.getDouble(0)));
        out.println(line.append("; manifest ").append(path));
    }
}
