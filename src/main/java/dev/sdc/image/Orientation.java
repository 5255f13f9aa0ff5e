package dev.sdc.image;

/**
 * The eight EXIF/TIFF orientations (tag 274): how the stored pixels must be turned to appear upright.
 * {@link #targetIndex} maps a stored pixel straight to its place in the upright image, so an image is
 * turned while it is converted, band by band, without a second full-size copy.
 */
public enum Orientation {
    NORMAL(1), MIRROR_HORIZONTAL(2), ROTATE_180(3), MIRROR_VERTICAL(4),
    TRANSPOSE(5), ROTATE_90_CW(6), TRANSVERSE(7), ROTATE_270_CW(8);

    private final int exifValue;

    Orientation(int exifValue) {
        this.exifValue = exifValue;
    }

    public int exifValue() {
        return exifValue;
    }

    /** The orientation of an EXIF value; anything outside 1..8 (absent, corrupt) is taken as upright. */
    public static Orientation ofExif(int value) {
        return value >= 1 && value <= 8 ? values()[value - 1] : NORMAL;
    }

    /** Whether width and height trade places (orientations 5..8). */
    public boolean swapsSides() {
        return exifValue >= 5;
    }

    public int uprightWidth(int storedWidth, int storedHeight) {
        return swapsSides() ? storedHeight : storedWidth;
    }

    public int uprightHeight(int storedWidth, int storedHeight) {
        return swapsSides() ? storedWidth : storedHeight;
    }

    /** Pixel index (y * uprightWidth + x) in the upright image of stored pixel (x, y) of a w × h image. */
    public long targetIndex(int x, int y, int w, int h) {
        int tx;
        int ty;
        switch (this) {
            case MIRROR_HORIZONTAL -> { tx = w - 1 - x; ty = y; }
            case ROTATE_180 -> { tx = w - 1 - x; ty = h - 1 - y; }
            case MIRROR_VERTICAL -> { tx = x; ty = h - 1 - y; }
            case TRANSPOSE -> { tx = y; ty = x; }
            case ROTATE_90_CW -> { tx = h - 1 - y; ty = x; }
            case TRANSVERSE -> { tx = h - 1 - y; ty = w - 1 - x; }
            case ROTATE_270_CW -> { tx = y; ty = w - 1 - x; }
            default -> { tx = x; ty = y; }
        }
        return (long) ty * uprightWidth(w, h) + tx;
    }
}
