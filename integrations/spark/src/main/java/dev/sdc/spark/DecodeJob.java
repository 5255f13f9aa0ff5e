package dev.sdc.spark;

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
        SparkSession spark = Jobs.session("sdc decode");
        long start = System.nanoTime(); // Spark is up; the model loads inside the job
        Dataset<Row> manifest = run(spark);
        Jobs.summary(System.out, "sdc-spark-decode", manifest, job.manifest(output), start);
        return 0;
    }

    Dataset<Row> run(SparkSession spark) {
        Bundles bundles = job.bundles();
        DecodeOptions options = new DecodeOptions(strength, steps, !noDenoise);
        HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
        try {
            String in = HadoopFiles.qualified(input, conf.get()).toString();
            String out = HadoopFiles.qualified(output, conf.get()).toString();
            System.err.println("sdc-spark-decode: " + in + " -> " + out + ", " + Jobs.checkBundle(bundles));
            Dataset<Row> files = Listing.files(spark, in, "\\.sdc$", job.partitions, job.filesPerPartition);
            String ext = format == Format.png ? "png" : "jpg";
            DecodeTask task = new DecodeTask(in, out, ext, bundles, options, conf);
            return Jobs.writeManifest(spark, files.javaRDD().mapPartitions(task), job.manifest(out));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
