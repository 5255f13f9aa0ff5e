package dev.sdc.model;

import java.util.Objects;

/**
 * A latent tensor of one image, {@code [C, H, W]} float32 in channel-major (planar) order, in raw VAE units
 * (not multiplied by the bundle's scale).
 */
public final class Latent {
    private final int channels;
    private final int height;
    private final int width;
    private final float[] data;

    public Latent(int channels, int height, int width, float[] data) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("latent shape must be positive: " + channels + "x" + height + "x" + width);
        }
        Objects.requireNonNull(data, "data");
        if (data.length != Math.multiplyExact(Math.multiplyExact(channels, height), width)) {
            throw new IllegalArgumentException("latent data has " + data.length + " values, expected "
                    + (long) channels * height * width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The backing array (not a copy): index {@code (c*height + y)*width + x}. */
    public float[] data() {
        return data;
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    public int pixels() {
        return height * width;
    }
}
