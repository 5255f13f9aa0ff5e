package dev.sdc.eval.baseline;

import dev.sdc.image.RgbImage;

import java.nio.file.Path;

/**
 * A conventional codec the evaluation compares sdc against. Quality is an integer on
 * [{@link #minQuality()}, {@link #maxQuality()}] where a higher value never means a smaller file (the byte
 * matching search relies on that). Implementations are stateless and safe to call from several threads as
 * long as each call gets its own {@code workDir}.
 */
public interface Baseline {
    /** Short lower-case name used on the command line and in reports: jpeg, webp, avif, jxl. */
    String name();

    int minQuality();

    int maxQuality();

    /** Encodes the source at a quality into a file inside {@code workDir}. */
    Encoded encode(SourceImage source, int quality, Path workDir);

    /** Decodes a file this baseline wrote; {@code workDir} holds any intermediate file. */
    RgbImage decode(Encoded encoded, Path workDir);

    /** Milliseconds the last {@link #decode} call on this thread took (process start included). */
    double lastDecodeMillis();

    /** Tool names and versions, for the report header. */
    String version();
}
