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

    /** A copy of the region of {@code width × height} latent pixels whose top-left corner is (x0, y0). */
    public Latent crop(int x0, int y0, int width, int height) {
        if (x0 < 0 || y0 < 0 || width < 1 || height < 1 || x0 + width > this.width || y0 + height > this.height) {
            throw new IllegalArgumentException("crop region out of bounds");
        }
        float[] out = new float[channels * height * width];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(data, (c * this.height + y0 + y) * this.width + x0, out, (c * height + y) * width, width);
            }
        }
        return new Latent(channels, height, width, out);
    }
}
