package dev.sdc.spark;

import dev.sdc.bitstream.SdcReader;
import dev.sdc.codec.DecodeOptions;
import dev.sdc.codec.ImageCodec;
import dev.sdc.codec.SdcSummary;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

import java.util.Iterator;

/**
 * Decodes the .sdc files of one partition to PNG or JPEG, one manifest row each; failures are rows, an
 * existing output that is a readable image of the right size is kept (status skipped).
 */
final class DecodeTask implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;

    private final String inputRoot;
    private final String outputRoot;
    private final String extension;
    private final Bundles bundles;
    // DecodeOptions is not Serializable: its fields travel and the record is rebuilt in the task
    private final Float strength;
    private final Integer steps;
    private final boolean denoise;
    private final HadoopConf conf;

    DecodeTask(String inputRoot, String outputRoot, String extension, Bundles bundles, DecodeOptions options,
               HadoopConf conf) {
        this.inputRoot = inputRoot;
        this.outputRoot = outputRoot;
        this.extension = extension;
        this.bundles = bundles;
        this.strength = options.strength();
        this.steps = options.steps();
        this.denoise = options.denoise();
        this.conf = conf;
    }

    /**
     * {@code out/rel/photo.png} for {@code in/rel/photo.jpg.sdc} with extension png: the .sdc suffix and the
     * original image extension are replaced by the output format's.
     */
    static Path outputFor(Path inputRoot, Path outputRoot, Path sdc, String extension) {
        String rel = HadoopFiles.relative(inputRoot, sdc);
        if (rel.endsWith(".sdc")) {
            rel = rel.substring(0, rel.length() - 4);
        }
        int slash = rel.lastIndexOf('/');
        int dot = rel.lastIndexOf('.');
        if (dot > slash + 1) {
            rel = rel.substring(0, dot);
        }
        return new Path(outputRoot, rel + "." + extension);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> paths) throws Exception {
        Configuration c = conf.get();
        Path in = new Path(inputRoot);
        Path out = new Path(outputRoot);
        ImageCodec codec = bundles.codec();
        DecodeOptions options = new DecodeOptions(strength, steps, denoise);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return paths.hasNext();
            }

            @Override
            public Row next() {
                return decode(codec, options, in, out, paths.next().getString(0), c);
            }
        };
    }

    private Row decode(ImageCodec codec, DecodeOptions options, Path in, Path out, String path, Configuration c) {
        long start = System.nanoTime();
        String output = null;
        try {
            Path file = new Path(path);
            Path target = outputFor(in, out, file, extension);
            output = target.toString();
            byte[] sdc = HadoopFiles.read(file, c, SdcReader.MAX_FILE_BYTES);
            SdcSummary summary = SdcSummary.of(sdc);
            byte[] existing = HadoopFiles.readIfExists(target, c, EncodeTask.MAX_IMAGE_BYTES);
            if (existing != null && fits(existing, summary)) {
                return Manifest.done(path, output, summary, Manifest.SKIPPED, EncodeTask.millis(start));
            }
            byte[] image = codec.decodeTo(sdc, extension, options);
            HadoopFiles.writeAtomically(target, image, c);
            return Manifest.done(path, output, summary, Manifest.DECODED, EncodeTask.millis(start));
        } catch (Exception e) {
            return Manifest.failed(path, output, e, EncodeTask.millis(start));
        }
    }

    private static boolean fits(byte[] image, SdcSummary summary) {
        try {
            RgbImage decoded = ImageFiles.decode(image, "existing output");
            return decoded.width() == summary.width() && decoded.height() == summary.height();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
