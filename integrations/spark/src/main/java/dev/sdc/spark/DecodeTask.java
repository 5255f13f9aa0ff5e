package dev.sdc.spark;

import dev.sdc.bitstream.SdcReader;
import dev.sdc.codec.DecodeOptions;
import dev.sdc.codec.ImageCodec;
import dev.sdc.codec.SdcSummary;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

/**
 * Decodes the .sdc files of one partition to PNG or JPEG, one manifest row each; failures are rows, an
 * existing output that is a readable image of the right size is kept (status skipped) unless --force.
 */
final class DecodeTask extends PartitionTask<DecodeOptions> {
    private static final long serialVersionUID = 1L;

    private final String extension;
    // DecodeOptions is not Serializable: its fields travel and the record is rebuilt in the task
    private final Float strength;
    private final Integer steps;
    private final boolean denoise;

    DecodeTask(String inputRoot, String outputRoot, String extension, Bundles bundles, DecodeOptions options,
               boolean force, HadoopConf conf) {
        super(inputRoot, outputRoot, bundles, force, conf);
        this.extension = extension;
        this.strength = options.strength();
        this.steps = options.steps();
        this.denoise = options.denoise();
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
    DecodeOptions options(ImageCodec codec) {
        return new DecodeOptions(strength, steps, denoise);
    }

    @Override
    Path target(Path inputRoot, Path outputRoot, Path sdc) {
        return outputFor(inputRoot, outputRoot, sdc, extension);
    }

    @Override
    Row convert(ImageCodec codec, DecodeOptions options, String path, Path file, Path target, Configuration c,
                long start) throws Exception {
        String output = target.toString();
        byte[] sdc = readInput(file, c, SdcReader.MAX_FILE_BYTES);
        SdcSummary summary = SdcSummary.of(sdc);
        byte[] existing = keepsValidOutputs() ? HadoopFiles.readIfExists(target, c, EncodeTask.MAX_IMAGE_BYTES) : null;
        if (existing != null && fits(existing, summary)) {
            return Manifest.done(path, output, summary, Manifest.SKIPPED, millis(start));
        }
        byte[] image = codec.decodeTo(sdc, extension, options);
        writeOutput(target, image, c);
        return Manifest.done(path, output, summary, Manifest.DECODED, millis(start));
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
