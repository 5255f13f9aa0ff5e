package dev.sdc.latent;

/** Maps each pixel independently to its nearest palette entry (no dithering). */
public final class NearestColorMapper implements Ditherer {
    @Override
    public int[] map(float[] target, int width, int height, Palette palette) {
        Ditherer.checkShape(target, width, height, palette);
        int c = palette.channels();
        int[] out = new int[width * height];
        for (int p = 0; p < out.length; p++) {
            out[p] = palette.nearest(target, p * c);
        }
        return out;
    }
}
