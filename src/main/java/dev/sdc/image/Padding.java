package dev.sdc.image;

/**
 * Pads an image to a multiple of the bundle's alignment by replicating its edge pixels, and crops it back.
 * Edge replication (rather than zeros or mirroring) keeps the padded border as flat as possible, which costs
 * the fewest latent bits and avoids the autoencoder inventing structure that would bleed into the image.
 */
public final class Padding {
    private Padding() {
    }

    /** Smallest multiple of {@code alignment} that is at least {@code size}. */
    public static int alignUp(int size, int alignment) {
        if (alignment <= 0) {
            throw new IllegalArgumentException("alignment must be positive: " + alignment);
        }
        return Math.toIntExact(((long) size + alignment - 1) / alignment * alignment);
    }

    /** Returns the image itself if already aligned, else a copy padded right and bottom by edge replication. */
    public static RgbImage padToMultiple(RgbImage image, int alignment) {
        return pad(image, alignUp(image.width(), alignment), alignUp(image.height(), alignment));
    }

    /** Pads right and bottom to {@code width × height} by replicating the last column and row. */
    public static RgbImage pad(RgbImage image, int width, int height) {
        int w = image.width();
        int h = image.height();
        if (width < w || height < h) {
            throw new IllegalArgumentException("cannot pad " + w + "x" + h + " to smaller " + width + "x" + height);
        }
        if (width == w && height == h) {
            return image;
        }
        RgbImage out = RgbImage.blank(width, height);
        byte[] src = image.rgb();
        byte[] dst = out.rgb();
        for (int y = 0; y < height; y++) {
            int sy = Math.min(y, h - 1);
            System.arraycopy(src, 3 * sy * w, dst, 3 * y * width, 3 * w);
            int last = 3 * (sy * w + w - 1);
            for (int x = w; x < width; x++) {
                int o = 3 * (y * width + x);
                dst[o] = src[last];
                dst[o + 1] = src[last + 1];
                dst[o + 2] = src[last + 2];
            }
        }
        return out;
    }

    /** The top-left {@code width × height} region. */
    public static RgbImage crop(RgbImage image, int width, int height) {
        if (width > image.width() || height > image.height()) {
            throw new IllegalArgumentException("crop " + width + "x" + height + " exceeds " + image.width() + "x" + image.height());
        }
        if (width == image.width() && height == image.height()) {
            return image;
        }
        return crop(image, 0, 0, width, height);
    }

    /** The region of {@code width × height} pixels whose top-left corner is (x0, y0). */
    public static RgbImage crop(RgbImage image, int x0, int y0, int width, int height) {
        if (x0 < 0 || y0 < 0 || x0 + width > image.width() || y0 + height > image.height()) {
            throw new IllegalArgumentException("crop region out of bounds");
        }
        RgbImage out = RgbImage.blank(width, height);
        for (int y = 0; y < height; y++) {
            System.arraycopy(image.rgb(), 3 * ((y0 + y) * image.width() + x0), out.rgb(), 3 * y * width, 3 * width);
        }
        return out;
    }
}
