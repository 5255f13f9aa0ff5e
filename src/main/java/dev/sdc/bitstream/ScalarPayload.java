package dev.sdc.bitstream;

import java.util.Arrays;

/**
 * Mode 1's payload (docs/FORMAT.md, "Mode 1"): the rate level of the bundle's prior, the rate factor, and
 * the range-coded integer latent. The container checks its bounds and the CRC; the coded stream itself can
 * only be decoded with the bundle's prior tables, so it is kept as bytes here and decoded by the codec
 * ({@code dev.sdc.bitstream.scalar.ScalarLatentCoder}).
 *
 * @param level      rate level ℓ, 0 … 255 (checked against the bundle's levels by the codec)
 * @param rateFactor R, 1 … 65,535; the rate factor r = R / 4096
 * @param coded      the coded latent stream, at least 5 bytes
 */
public record ScalarPayload(int level, int rateFactor, byte[] coded) implements LatentPayload {
    public static final int MAX_LEVEL = 255;
    public static final int MAX_RATE_FACTOR = 0xFFFF;

    public ScalarPayload {
        if (level < 0 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("level " + level + " outside 0 … " + MAX_LEVEL);
        }
        if (rateFactor < 1 || rateFactor > MAX_RATE_FACTOR) {
            throw new IllegalArgumentException("rate factor " + rateFactor + " outside 1 … " + MAX_RATE_FACTOR);
        }
        if (coded.length < SdcFormat.MIN_CODED) {
            throw new IllegalArgumentException("coded latent of " + coded.length + " bytes");
        }
        coded = coded.clone();
    }

    @Override
    public byte[] coded() {
        return coded.clone();
    }

    @Override
    public int mode() {
        return SdcHeader.MODE_SCALAR;
    }

    @Override
    public boolean fits(SdcHeader header) {
        return true; // the shape is the header's; the stream is checked to decode to exactly that many values
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScalarPayload p && level == p.level && rateFactor == p.rateFactor
                && Arrays.equals(coded, p.coded);
    }

    @Override
    public int hashCode() {
        return (level * 31 + rateFactor) * 31 + Arrays.hashCode(coded);
    }

    @Override
    public String toString() {
        return "ScalarPayload[level=" + level + ", rateFactor=" + rateFactor + ", coded=" + coded.length + " B]";
    }
}
