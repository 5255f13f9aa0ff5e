package dev.sdc.latent;

/**
 * Maps every pixel of a latent, given as positions in 8-bit code space, to a palette index.
 */
public interface Ditherer {
    /**
     * @param target  per-pixel C-vectors in code units (normally 0..255, unrounded), interleaved
     *                {@code [pixel*C + c]}, pixels row-major; not modified
     * @param width   latent width
     * @param height  latent height
     * @param palette palette with C channels
     * @return {@code width*height} palette indices, row-major
     */
    int[] map(float[] target, int width, int height, Palette palette);

    /** Shared argument check. */
    static void checkShape(float[] target, int width, int height, Palette palette) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("bad latent size " + width + "x" + height);
        }
        long expected = (long) width * height * palette.channels();
        if (target.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " target values, got " + target.length);
        }
    }
}
