package dev.sdc.spark;

import dev.sdc.codec.ImageCodec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

import java.util.Iterator;

/**
 * What the encode and decode tasks share: one partition of input paths in, one manifest row per path out,
 * converted lazily with one codec per task. A row's failure (unreadable input, write error) is recorded in
 * its row; only a model problem (loading the codec) fails the task.
 *
 * @param <O> the codec options; they are not Serializable, so each task rebuilds them from its fields
 */
abstract class PartitionTask<O> implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;

    private final String inputRoot;
    private final String outputRoot;
    private final Bundles bundles;
    private final HadoopConf conf;
    /** --force: make every output again instead of keeping a valid one. */
    private final boolean force;

    PartitionTask(String inputRoot, String outputRoot, Bundles bundles, boolean force, HadoopConf conf) {
        this.inputRoot = inputRoot;
        this.outputRoot = outputRoot;
        this.bundles = bundles;
        this.force = force;
        this.conf = conf;
    }

    /** Whether an existing output may be kept (no --force). */
    final boolean keepsValidOutputs() {
        return !force;
    }

    /** The codec options, rebuilt in the task for its codec (a scalar quality maps onto the bundle's levels). */
    abstract O options(ImageCodec codec);

    /** Where {@code file} under {@code inputRoot} goes under {@code outputRoot}. */
    abstract Path target(Path inputRoot, Path outputRoot, Path file);

    /**
     * Converts {@code file} to {@code target} (or keeps a valid existing output) and returns its row;
     * {@code path} is the input as listed, {@code start} the row's start for {@link #millis}.
     */
    abstract Row convert(ImageCodec codec, O options, String path, Path file, Path target, Configuration c,
                         long start) throws Exception;

    @Override
    public final Iterator<Row> call(Iterator<Row> paths) throws Exception {
        Configuration c = conf.get();
        Path in = new Path(inputRoot);
        Path out = new Path(outputRoot);
        ImageCodec codec = bundles.codec();
        O options = options(codec);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return paths.hasNext();
            }

            @Override
            public Row next() {
                return row(codec, options, in, out, paths.next().getString(0), c);
            }
        };
    }

    private Row row(ImageCodec codec, O options, Path in, Path out, String path, Configuration c) {
        long start = System.nanoTime();
        String output = null;
        try {
            Path file = new Path(path);
            Path target = target(in, out, file);
            output = target.toString();
            return convert(codec, options, path, file, target, c, start);
        } catch (Exception e) {
            return Manifest.failed(path, output, e, millis(start));
        }
    }

    /** The input file whole; a failure to read it is the input's fault (exit 3), with Hadoop's words. */
    static byte[] readInput(Path file, Configuration c, long limit) {
        try {
            return HadoopFiles.read(file, c, limit);
        } catch (java.io.IOException e) {
            throw new dev.sdc.SdcException(dev.sdc.ExitCode.BAD_INPUT, Manifest.oneLine(e), e);
        }
    }

    /** Writes the output atomically; a failure is the output's (exit 5), with Hadoop's words. */
    static void writeOutput(Path target, byte[] data, Configuration c) {
        try {
            HadoopFiles.writeAtomically(target, data, c);
        } catch (java.io.IOException e) {
            throw new dev.sdc.SdcException(dev.sdc.ExitCode.IO, Manifest.oneLine(e), e);
        }
    }

    static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
