package dev.sdc.spark;

import dev.sdc.codec.EncodeOptions;
import dev.sdc.codec.ImageCodec;
import dev.sdc.codec.QuantizerMode;
import dev.sdc.codec.SdcSummary;
import dev.sdc.bitstream.SdcReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

import java.util.Optional;

/**
 * Encodes the images of one partition, one manifest row each. A row's failure (unreadable image, write
 * error) is recorded in its row; only a model problem fails the task. An output that already exists and is
 * a valid file of this bundle is kept (status skipped), so a rerun resumes an interrupted job; --force makes
 * it again (the check cannot tell which options made a file).
 */
final class EncodeTask extends PartitionTask<EncodeOptions> {
    private static final long serialVersionUID = 1L;
    /** Largest input image file read into memory. */
    static final long MAX_IMAGE_BYTES = dev.sdc.image.ImageFiles.MAX_INPUT_BYTES;

    // EncodeOptions is not Serializable: its fields travel and the record is rebuilt in the task
    private final int colors;
    private final boolean dither;
    private final Float strength;
    private final Integer steps;
    private final QuantizerMode mode;
    /** Scalar mode: --quality, or null for the bundle's default level. */
    private final Double quality;

    /** options: the palette settings; in the scalar mode {@code quality} is mapped with each task's bundle. */
    EncodeTask(String inputRoot, String outputRoot, Bundles bundles, EncodeOptions options, QuantizerMode mode,
               Double quality, boolean force, HadoopConf conf) {
        super(inputRoot, outputRoot, bundles, force, conf);
        this.mode = mode;
        this.quality = quality;
        this.colors = options.colors();
        this.dither = options.dither();
        this.strength = options.strength();
        this.steps = options.steps();
    }

    /** {@code out/rel/photo.jpg.sdc} for {@code in/rel/photo.jpg}: the full name stays, so nothing collides. */
    static Path outputFor(Path inputRoot, Path outputRoot, Path image) {
        return new Path(outputRoot, HadoopFiles.relative(inputRoot, image) + ".sdc");
    }

    /** A bundle without a scalar prior fails the task (a model problem, as sdc encode's exit 4), not each row. */
    @Override
    EncodeOptions options(ImageCodec codec) {
        if (mode == QuantizerMode.SCALAR) {
            return codec.codec().require(mode).scalarOptions(quality);
        }
        return new EncodeOptions(colors, dither, strength, steps);
    }

    @Override
    Path target(Path inputRoot, Path outputRoot, Path image) {
        return outputFor(inputRoot, outputRoot, image);
    }

    @Override
    Row convert(ImageCodec codec, EncodeOptions options, String path, Path image, Path target, Configuration c,
                long start) throws Exception {
        String output = target.toString();
        byte[] existing = keepsValidOutputs() ? HadoopFiles.readIfExists(target, c, SdcReader.MAX_FILE_BYTES) : null;
        Optional<SdcSummary> valid = existing == null ? Optional.empty() : codec.validOutput(existing);
        if (valid.isPresent()) {
            return Manifest.done(path, output, valid.get(), Manifest.SKIPPED, millis(start));
        }
        byte[] sdc = codec.encode(readInput(image, c, MAX_IMAGE_BYTES), path, options);
        writeOutput(target, sdc, c);
        return Manifest.done(path, output, SdcSummary.of(sdc), Manifest.ENCODED, millis(start));
    }
}
