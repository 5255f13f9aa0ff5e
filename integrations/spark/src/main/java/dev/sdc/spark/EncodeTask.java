package dev.sdc.spark;

import dev.sdc.codec.EncodeOptions;
import dev.sdc.codec.ImageCodec;
import dev.sdc.codec.SdcSummary;
import dev.sdc.bitstream.SdcReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

import java.util.Iterator;

/**
 * Encodes the images of one partition, one manifest row each. A row's failure (unreadable image, write
 * error) is recorded in its row; only a model problem fails the task. An output that already exists and is
 * a valid file of this bundle is kept (status skipped), so a rerun resumes an interrupted job.
 */
final class EncodeTask implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;
    /** Largest input image file read into memory. */
    static final long MAX_IMAGE_BYTES = 1L << 30;

    private final String inputRoot;
    private final String outputRoot;
    private final Bundles bundles;
    // EncodeOptions is not Serializable: its fields travel and the record is rebuilt in the task
    private final int colors;
    private final boolean dither;
    private final Float strength;
    private final Integer steps;
    private final HadoopConf conf;

    EncodeTask(String inputRoot, String outputRoot, Bundles bundles, EncodeOptions options, HadoopConf conf) {
        this.inputRoot = inputRoot;
        this.outputRoot = outputRoot;
        this.bundles = bundles;
        this.colors = options.colors();
        this.dither = options.dither();
        this.strength = options.strength();
        this.steps = options.steps();
        this.conf = conf;
    }

    /** {@code out/rel/photo.jpg.sdc} for {@code in/rel/photo.jpg}: the full name stays, so nothing collides. */
    static Path outputFor(Path inputRoot, Path outputRoot, Path image) {
        return new Path(outputRoot, HadoopFiles.relative(inputRoot, image) + ".sdc");
    }

    @Override
    public Iterator<Row> call(Iterator<Row> paths) throws Exception {
        Configuration c = conf.get();
        Path in = new Path(inputRoot);
        Path out = new Path(outputRoot);
        ImageCodec codec = bundles.codec();
        EncodeOptions options = new EncodeOptions(colors, dither, strength, steps);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return paths.hasNext();
            }

            @Override
            public Row next() {
                return encode(codec, options, in, out, paths.next().getString(0), c);
            }
        };
    }

    private static Row encode(ImageCodec codec, EncodeOptions options, Path in, Path out, String path, Configuration c) {
        long start = System.nanoTime();
        String output = null;
        try {
            Path image = new Path(path);
            Path target = outputFor(in, out, image);
            output = target.toString();
            byte[] existing = HadoopFiles.readIfExists(target, c, SdcReader.MAX_FILE_BYTES);
            if (existing != null && codec.isValidOutput(existing)) {
                return Manifest.done(path, output, SdcSummary.of(existing), Manifest.SKIPPED, millis(start));
            }
            byte[] sdc = codec.encode(HadoopFiles.read(image, c, MAX_IMAGE_BYTES), path, options);
            HadoopFiles.writeAtomically(target, sdc, c);
            return Manifest.done(path, output, SdcSummary.of(sdc), Manifest.ENCODED, millis(start));
        } catch (Exception e) {
            return Manifest.failed(path, output, e, millis(start));
        }
    }

    static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
