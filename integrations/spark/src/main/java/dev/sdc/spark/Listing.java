package dev.sdc.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;

/** The input files of a job, as one {@code path} column, spread over partitions of a bounded size. */
final class Listing {
    private Listing() {
    }

    /**
     * Every file under {@code input} (recursively; names starting with _ or . are skipped, as everywhere in
     * Spark) whose lower-cased name matches {@code extensionRegex}. Only the listing is read here: the
     * binaryFile source reads a file's content only if the content column is selected, and it is not.
     */
    static Dataset<Row> files(SparkSession spark, String input, String extensionRegex, Integer partitions,
                              int filesPerPartition) {
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(input)
                .select("path").filter(lower(col("path")).rlike(extensionRegex));
        int n;
        if (partitions != null) {
            n = partitions;
        } else {
            long count = files.count();
            n = (int) Math.max(spark.sparkContext().defaultParallelism(),
                    Math.min(1_000_000, (count + filesPerPartition - 1) / filesPerPartition));
        }
        return files.repartition(Math.max(1, n));
    }
}
