package dev.sdc.image;

import java.util.Objects;

/**
 * An 8-bit sRGB image, pixels interleaved R,G,B row by row. This is the only pixel type the codec passes
 * between stages: readers convert to it, writers convert from it.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] rgb;

    public RgbImage(int width, int height, byte[] rgb) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        Objects.requireNonNull(rgb, "rgb");
        if (rgb.length != Math.multiplyExact(Math.multiplyExact(width, height), 3)) {
            throw new IllegalArgumentException("rgb buffer has " + rgb.length + " bytes, expected " + 3L * width * height);
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)]);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array (not a copy): index {@code 3*(y*width+x)+c}. */
    public byte[] rgb() {
        return rgb;
    }

    /** Channel value 0..255 of pixel (x, y), channel c (0=R, 1=G, 2=B). */
    public int get(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xFF;
    }

    public void set(int x, int y, int c, int value) {
        rgb[3 * (y * width + x) + c] = (byte) value;
    }
}
