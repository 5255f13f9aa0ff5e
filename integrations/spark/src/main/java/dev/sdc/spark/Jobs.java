package dev.sdc.spark;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.codec.QuantizerMode;
import dev.sdc.model.Bundle;
import dev.sdc.model.DefaultBundle;
import dev.sdc.model.DjlRuntime;
import dev.sdc.model.ModelException;
import org.apache.hadoop.fs.FileSystem;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
            SdcException sdc = sdcCause(ex);
            c.getErr().println(c.getCommandName() + ": error: " + (sdc != null ? sdc.getMessage() : firstLine(ex)));
            return sdc != null ? sdc.exitCode().code() : 1;
        });
        int code = cmd.execute(args);
        scala.Option<SparkSession> spark = SparkSession.getDefaultSession();
        if (spark.isDefined()) {
            spark.get().stop();
        }
        System.exit(code);
    }

    /**
     * The first SdcException in {@code e}'s cause chain: a task's model error reaches the driver wrapped in a
     * SparkException whose message is the whole flattened stack trace.
     */
    static SdcException sdcCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SdcException s) {
                return s;
            }
        }
        return null;
    }

    private static String firstLine(Throwable e) {
        String line = Manifest.oneLine(e);
        int cut = line.indexOf(" at ");
        return line.length() > 300 && cut > 0 ? line.substring(0, cut) : line;
    }

    static SparkSession session(String appName) {
        return SparkSession.builder().appName(appName).getOrCreate();
    }

    /**
     * A job's {@code call()}: starts Spark, runs the job and prints its {@link #summary} line, timed from
     * when Spark is up (the model loads inside the job). A bad image does not fail the job, but a run in
     * which every file failed is no success: an unwritable OUTPUT, or a folder of files that are not images.
     */
    static int call(String appName, String what, String output, JobOptions job,
                    Function<SparkSession, Dataset<Row>> run) {
        job.check();
        SparkSession spark = session(appName);
        long start = System.nanoTime();
        Dataset<Row> manifest = run.apply(spark);
        String path = job.manifest(output);
        summary(System.out, what, manifest, path, start);
        return allFailed(System.err, what, manifest, path);
    }

    /**
     * 0 unless every row failed; then one line naming the first failure, and the code {@code sdc} gives for
     * such a batch: the rows' shared code, else 6.
     */
    static int allFailed(PrintStream err, String what, Dataset<Row> manifest, String path) {
        Dataset<Row> failed = manifest.filter(manifest.col("status").equalTo(Manifest.FAILED));
        long rows = manifest.count();
        if (rows == 0 || failed.count() < rows) {
            return ExitCode.OK.code();
        }
        List<Integer> codes = failed.select("code").distinct().collectAsList().stream()
                .map(r -> r.isNullAt(0) ? ExitCode.INTERNAL.code() : r.getInt(0)).toList();
        String first = failed.orderBy("path").select("error").first().getString(0);
        err.println(what + ": error: all " + rows + " files failed (the manifest " + path + " says why; the first: "
                + first + ")");
        return ExitCode.ofFailures(codes);
    }

    /** Makes a job's task once the input and output roots are qualified. */
    interface TaskFactory {
        PartitionTask<?> create(String inputRoot, String outputRoot, HadoopConf conf);
    }

    /**
     * A job's {@code run()}: qualifies INPUT and OUTPUT, checks the bundle (and that it has {@code mode}'s
     * prior, when not null), lists the files under INPUT with one of {@code extensions}, refuses two inputs
     * with one output, runs the task over them and returns the manifest it wrote.
     */
    static Dataset<Row> run(SparkSession spark, String what, String input, String output, JobOptions job,
                            Bundles bundles, QuantizerMode mode, Set<String> extensions, TaskFactory tasks) {
        HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
        try {
            org.apache.hadoop.fs.Path inPath = HadoopFiles.qualified(input, conf.get());
            org.apache.hadoop.fs.Path outPath = HadoopFiles.qualified(output, conf.get());
            String in = inPath.toString();
            String out = outPath.toString();
            FileSystem outFs = outPath.getFileSystem(conf.get());
            if (outFs.exists(outPath) && !outFs.getFileStatus(outPath).isDirectory()) {
                throw new SdcException(ExitCode.IO, "cannot write into " + output + ": it is not a folder");
            }
            System.err.println(what + ": " + in + " -> " + out + ", " + checkBundle(spark, bundles, mode));
            List<String> paths = Listing.paths(inPath, conf.get(), extensions, "." + String.join(", .",
                    new java.util.TreeSet<>(extensions)));
            PartitionTask<?> task = tasks.create(in, out, conf);
            checkTargets(task, inPath, outPath, paths);
            checkManifestTarget(job.manifest(out), conf);
            Dataset<Row> files = Listing.files(spark, paths, job.partitions, job.filesPerPartition);
            return writeManifest(spark, files.javaRDD().mapPartitions(task), job.manifest(out), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refuses, before any work, two inputs that would be written to one output ({@code a.jpg.sdc} and
     * {@code a.png.sdc} both decode to {@code a.png}; the CLI keeps the inner extension), since each rerun would
     * otherwise replace one with the other and the manifest would name both.
     */
    static void checkTargets(PartitionTask<?> task, org.apache.hadoop.fs.Path in, org.apache.hadoop.fs.Path out,
                             List<String> paths) {
        Map<String, String> claimed = new HashMap<>();
        for (String p : paths) {
            String target;
            try {
                target = task.target(in, out, new org.apache.hadoop.fs.Path(p)).toString();
            } catch (IllegalArgumentException e) {
                continue; // a name Hadoop cannot make a path of ("a:b.png"): the task makes it a failed row
            }
            String before = claimed.putIfAbsent(target, p);
            if (before != null) {
                throw new SdcException(ExitCode.USAGE, before + " and " + p + " would both be written to " + target
                        + "; rename one or give them separate runs");
            }
        }
    }

    /**
     * Refuses, before any work, a manifest path that holds anything but a manifest: the new manifest replaces
     * the folder, so {@code --manifest INPUT} would delete the inputs.
     */
    static void checkManifestTarget(String manifest, HadoopConf conf) throws IOException {
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(manifest);
        FileSystem fs = target.getFileSystem(conf.get());
        if (!fs.exists(target)) {
            return;
        }
        if (!fs.getFileStatus(target).isDirectory()) {
            throw new SdcException(ExitCode.USAGE, "--manifest " + manifest + " is a file, not a manifest folder");
        }
        for (org.apache.hadoop.fs.FileStatus s : fs.listStatus(target)) {
            String n = s.getPath().getName();
            boolean part = s.isFile() && (n.equals("_SUCCESS") || n.startsWith("part-") || n.startsWith(".")
                    || n.endsWith(".crc"));
            if (!part) {
                throw new SdcException(ExitCode.USAGE, "--manifest " + manifest + " holds " + n
                        + ", which is not part of a manifest; the manifest replaces the folder, so give another path");
            }
        }
    }

    /**
     * Checks the bundle in the driver when it can see it (fails fast on a missing or damaged bundle, or one
     * without the scalar prior that {@code mode} needs). In local mode the driver is the executor, so it always
     * can; on a cluster a name shipped with --archives may exist only on the executors, which check it there.
     */
    static String checkBundle(SparkSession spark, Bundles bundles, QuantizerMode mode) {
        Path dir = bundles.resolve();
        if (!spark.sparkContext().isLocal() && dir != null && !Files.isDirectory(dir)) {
            return "bundle '" + bundles.model() + "' (resolved on the executors)";
        }
        Bundle bundle = DefaultBundle.load(dir);
        if (mode != null && !mode.supportedBy(bundle)) { // null: a decode job, which needs no mode
            throw new ModelException(mode.unsupportedBy(bundle.name(), "--model DIR"));
        }
        return "bundle " + bundle.fingerprintHex();
    }

    /**
     * Computes the rows, writes the manifest as Parquet and returns it read back (the rows run once). They
     * are written to a temporary folder beside the manifest, which replaces the old manifest only once
     * complete: a failed or killed run keeps the previous run's manifest. The temporary folder has a fixed
     * name ({@link #manifestTemp}), so the next run removes what a killed one left (two runs writing one
     * manifest at once are not supported: they would also race on the outputs).
     */
    static Dataset<Row> writeManifest(SparkSession spark, JavaRDD<Row> rows, String manifest, HadoopConf conf)
            throws IOException {
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(manifest);
        org.apache.hadoop.fs.Path tmp = manifestTemp(target);
        FileSystem fs = target.getFileSystem(conf.get());
        try {
            fs.delete(tmp, true);
            spark.createDataFrame(rows, Manifest.SCHEMA).write().parquet(tmp.toString());
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        } finally {
            fs.delete(tmp, true);
        }
        return spark.read().parquet(manifest);
    }

    /** {@code OUTPUT/._manifest.tmp} for {@code OUTPUT/_manifest}: hidden, so no listing takes it for an input. */
    static org.apache.hadoop.fs.Path manifestTemp(org.apache.hadoop.fs.Path manifest) {
        return new org.apache.hadoop.fs.Path(manifest.getParent(), "." + manifest.getName() + ".tmp");
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
