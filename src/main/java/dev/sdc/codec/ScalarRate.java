package dev.sdc.codec;

import dev.sdc.bitstream.ScalarPayload;

/**
 * One setting of the scalar mode's rate: a level of the bundle's prior and the header's rate factor
 * (docs/FORMAT.md, "Mode 1"); the steps are {@code step[level] · rateFactor / 4096}.
 *
 * @param level      rate level of the bundle's prior, 0 … L − 1 (checked against the bundle when used)
 * @param rateFactor R, 1 … 65,535; 4096 means the level's own steps
 */
public record ScalarRate(int level, int rateFactor) {
    /** The rate factor that leaves a level's steps as they are. */
    public static final int UNIT = 4096;

    public ScalarRate {
        if (level < 0 || level > ScalarPayload.MAX_LEVEL) {
            throw new IllegalArgumentException("level " + level + " outside 0 … " + ScalarPayload.MAX_LEVEL);
        }
        if (rateFactor < 1 || rateFactor > ScalarPayload.MAX_RATE_FACTOR) {
            throw new IllegalArgumentException("rate factor " + rateFactor + " outside 1 … "
                    + ScalarPayload.MAX_RATE_FACTOR);
        }
    }

    /** r = R / 4096. */
    public double factor() {
        return rateFactor / (double) UNIT;
    }
}
