package dev.sdc.spark;

import dev.sdc.SdcException;
import dev.sdc.codec.DecodeOptions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code spark-submit --class dev.sdc.spark.DecodeJob sdc-spark.jar INPUT OUTPUT}: every .sdc under INPUT
 * becomes a PNG or JPEG under OUTPUT at the same relative path, with a Parquet manifest.
 */
@Command(name = "sdc-spark-decode", mixinStandardHelpOptions = true,
        description = "Decode every .sdc under INPUT to PNG or JPEG under OUTPUT and write a Parquet manifest.")
public final class DecodeJob implements Callable<Integer> {
    enum Format { png, jpeg }

    @Parameters(index = "0", paramLabel = "INPUT", description = "Folder of .sdc files (e.g. an encode job's OUTPUT).")
    String input;

    @Parameters(index = "1", paramLabel = "OUTPUT", description = "Output folder for the images.")
    String output;

    @Mixin
    JobOptions job;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "png",
            description = "png or jpeg (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--steps", paramLabel = "K", description = "Override the file's denoise steps.")
    Integer steps;

    @Option(names = "--strength", paramLabel = "S", description = "Override the file's denoise strength.")
    Float strength;

    @Option(names = "--no-denoise", description = "Skip the UNet.")
    boolean noDenoise;

    public static void main(String[] args) {
        Jobs.main(new DecodeJob(), args);
    }

    @Override
    public Integer call() {
        options(); // usage errors before Spark starts
        return Jobs.call("sdc decode", "sdc-spark-decode", output, job, this::run);
    }

    Dataset<Row> run(SparkSession spark) {
        Bundles bundles = job.bundles();
        DecodeOptions options = options();
        String ext = format == Format.png ? "png" : "jpg";
        boolean force = job.force;
        return Jobs.run(spark, "sdc-spark-decode", input, output, job, bundles, null, java.util.Set.of("sdc"),
                (in, out, conf) -> new DecodeTask(in, out, ext, bundles, options, force, conf));
    }

    /** sdc decode's denoise options; out of range is a usage error (exit 2). */
    DecodeOptions options() {
        try {
            return new DecodeOptions(strength, steps, !noDenoise);
        } catch (IllegalArgumentException e) {
            throw new SdcException(dev.sdc.ExitCode.USAGE, e.getMessage());
        }
    }
}
