package dev.sdc.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The manifest table both jobs write (Parquet), one row per input file. For the encode job {@code path} is
 * the image and {@code output} the .sdc; for the decode job {@code path} is the .sdc and {@code output} the
 * image. Size fields describe the .sdc file; they are null when the row failed. {@code code} is the exit
 * code {@code sdc} gives for a failed row's reason (3 the input, 4 the bundle, 5 the output, 1 anything else),
 * null for the others: the job's own exit code comes from these when every row failed.
 */
final class Manifest {
    static final String ENCODED = "encoded";
    static final String DECODED = "decoded";
    /** The output already existed and was valid (a resumed or repeated run). */
    static final String SKIPPED = "skipped";
    static final String FAILED = "failed";

    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("output", DataTypes.StringType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("bytes", DataTypes.LongType, true)
            .add("bpp", DataTypes.DoubleType, true)
            .add("mode", DataTypes.StringType, true)
            .add("colors", DataTypes.IntegerType, true)
            .add("fingerprint", DataTypes.StringType, true)
            .add("status", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, true)
            .add("millis", DataTypes.LongType, false)
            .add("code", DataTypes.IntegerType, true);

    private Manifest() {
    }

    static Row done(String path, String output, dev.sdc.codec.SdcSummary s, String status, long millis) {
        return RowFactory.create(path, output, s.width(), s.height(), s.bytes(), s.bpp(), s.mode(), s.colors(),
                s.fingerprint(), status, null, millis, null);
    }

    static Row failed(String path, String output, Throwable error, long millis) {
        return RowFactory.create(path, output, null, null, null, null, null, null, null, FAILED, oneLine(error),
                millis, codeOf(error).code());
    }

    /** What {@code sdc encode}/{@code decode} would exit with for this failure. */
    static dev.sdc.ExitCode codeOf(Throwable error) {
        return error instanceof dev.sdc.SdcException s ? s.exitCode() : dev.sdc.ExitCode.INTERNAL;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
