package dev.sdc.eval.baseline;

import java.nio.file.Path;

/**
 * One baseline encoding: the file it wrote, its size, the quality setting used, the command that made it
 * (file names relative to the temporary work folder, so the line reads the same on every run), and the pixel
 * size {@link Baseline#decode} returns for it: the size of the image given to {@link Baseline#encode}, which
 * for a {@link DownscaledBaseline} is larger than the picture stored in the file.
 */
public record Encoded(Path file, long bytes, int quality, String command, double encodeMillis, int width, int height) {
}
