package dev.sdc.eval.baseline;

import java.nio.file.Path;

/**
 * One baseline encoding: the file it wrote, its size, the quality setting used, and the command that made it
 * (file names relative to the temporary work folder, so the line reads the same on every run).
 */
public record Encoded(Path file, long bytes, int quality, String command, double encodeMillis) {
}
