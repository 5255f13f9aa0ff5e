package dev.sdc.spark;

import dev.sdc.cli.ModeOptions;
import dev.sdc.codec.EncodeOptions;
import dev.sdc.codec.QuantizerMode;
import dev.sdc.codec.Preset;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import java.util.concurrent.Callable;

/**
 * {@code spark-submit --class dev.sdc.spark.EncodeJob sdc-spark.jar INPUT OUTPUT}: every image under INPUT
 * (any Hadoop path: file:, hdfs://, s3a://) becomes {@code OUTPUT/<relative path>.sdc}, byte-identical to
 * {@code sdc encode} with the same options, and a Parquet manifest gets one row per image.
 */
@Command(name = "sdc-spark-encode", mixinStandardHelpOptions = true,
        description = "Encode every image under INPUT to OUTPUT/<relative path>.sdc and write a Parquet manifest.")
public final class EncodeJob implements Callable<Integer> {
    /** Image extensions the job picks up, sdc encode's; anything else under INPUT is ignored. */
    static final java.util.Set<String> IMAGES = dev.sdc.image.ImageFiles.READABLE;

    @Parameters(index = "0", paramLabel = "INPUT", description = "Image folder (or one image), any Hadoop path.")
    String input;

    @Parameters(index = "1", paramLabel = "OUTPUT", description = "Output folder for the .sdc files.")
    String output;

    @Mixin
    JobOptions job;

    @Option(names = {"-c", "--colors"}, paramLabel = "N", description = "Palette size 1..256 (default: 256).")
    Integer colors;

    @Option(names = "--no-dither", description = "Nearest palette colour instead of Floyd-Steinberg dithering.")
    boolean noDither;

    @Option(names = "--preset", paramLabel = "NAME", description = "buehlmann: Bühlmann's settings, as sdc encode --preset.")
    String preset;

    /** --mode palette|scalar and -Q/--quality, with sdc encode's checks. */
    @Mixin
    ModeOptions mode;

    public static void main(String[] args) {
        Jobs.main(new EncodeJob(), args);
    }

    @Override
    public Integer call() {
        quantizerMode(); // usage errors before Spark starts
        try {
            options();
        } catch (IllegalArgumentException e) {
            throw new SdcException(ExitCode.USAGE, e.getMessage());
        }
        return Jobs.call("sdc encode", "sdc-spark-encode", output, job, this::run);
    }

    /** The quantizer mode; a usage error (exit 2) for options of the other mode, as sdc encode. */
    QuantizerMode quantizerMode() {
        return mode.mode(colors, noDither, preset != null, false);
    }

    /** The palette options of {@code sdc encode} with the same flags (the scalar ones need the bundle: EncodeTask). */
    EncodeOptions options() {
        Preset p = preset == null ? null : Preset.byId(preset);
        int n = colors != null ? colors : p != null ? p.colors() : EncodeOptions.DEFAULT_COLORS;
        return p == null ? new EncodeOptions(n, !noDither)
                : new EncodeOptions(n, p.dither() && !noDither, p.strength(), p.steps());
    }

    /** Runs the job on {@code spark} and returns the manifest it wrote. */
    Dataset<Row> run(SparkSession spark) {
        Bundles bundles = job.bundles();
        QuantizerMode m = quantizerMode();
        EncodeOptions options = options();
        Double quality = mode.quality();
        boolean force = job.force;
        return Jobs.run(spark, "sdc-spark-encode", input, output, job, bundles, m, IMAGES,
                (in, out, conf) -> new EncodeTask(in, out, bundles, options, m, quality, force, conf));
    }
}
