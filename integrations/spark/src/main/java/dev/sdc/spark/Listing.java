package dev.sdc.spark;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.image.ImageFiles;
import dev.sdc.io.InputFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The input files of a job, listed in the driver by the rules of {@code sdc encode -r -o}: every file under
 * the root whose extension is wanted, at any depth, skipping only names that start with '.' (at any level),
 * and including empty files (they become failed rows, as the CLI names them). Spark's own file sources are
 * not used: they also drop names starting with '_' (Canon's {@code _MG_0001.JPG}, Sony's {@code _DSC}),
 * drop empty files without a word, and read the root as a glob ({@code Photos [2019]}).
 */
final class Listing {
    private Listing() {
    }

    /**
     * The qualified paths of the wanted files under {@code root} (a folder, or one file), sorted.
     *
     * @param extensions lower-case extensions without the dot
     * @throws SdcException BAD_INPUT if {@code root} does not exist or holds no wanted file
     */
    static List<String> paths(Path root, Configuration conf, Set<String> extensions, String what)
            throws IOException {
        FileSystem fs = root.getFileSystem(conf);
        List<String> paths = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it;
        try {
            it = fs.listFiles(root, true); // a literal path: no glob expansion
        } catch (FileNotFoundException e) {
            throw new SdcException(ExitCode.BAD_INPUT, root + ": no such file or folder");
        }
        while (it.hasNext()) {
            Path file = it.next().getPath();
            boolean named = file.toUri().getPath().equals(root.toUri().getPath()); // INPUT is this file: taken as is
            if (named || !InputFiles.hidden(java.nio.file.Path.of(HadoopFiles.relative(root, file)))
                    && extensions.contains(ImageFiles.extension(java.nio.file.Path.of(file.getName())))) {
                paths.add(file.toString());
            }
        }
        if (paths.isEmpty()) {
            throw new SdcException(ExitCode.BAD_INPUT, "no input files found in " + root + " (" + what + ")");
        }
        paths.sort(null);
        return paths;
    }

    /** The paths as one {@code path} column over a bounded number of partitions. */
    static Dataset<Row> files(SparkSession spark, List<String> paths, Integer partitions, int filesPerPartition) {
        int n = partitions != null ? partitions
                : (int) Math.max(spark.sparkContext().defaultParallelism(),
                        Math.min(1_000_000, (paths.size() + (long) filesPerPartition - 1) / filesPerPartition));
        return spark.createDataset(paths, Encoders.STRING()).toDF("path").repartition(Math.max(1, n));
    }
}
