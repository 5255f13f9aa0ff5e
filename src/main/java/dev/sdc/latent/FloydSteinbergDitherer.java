package dev.sdc.latent;

/**
 * Floyd–Steinberg error diffusion in code space, per channel: each pixel's target plus the error pushed onto
 * it is mapped to the nearest palette entry, and the residual goes 7/16 ahead, 3/16 behind-below, 5/16
 * below and 1/16 ahead-below. Serpentine scan (alternate rows right-to-left) by default, which avoids the
 * diagonal "worm" artefacts of a raster scan. Error pushed past the borders is dropped.
 *
 * <p>The accumulated value is clamped to [{@value #LOW}, {@value #HIGH}] before mapping: a palette that cannot
 * reach a region (e.g. far outside its hull) would otherwise let error grow without bound and smear across
 * the image.
 */
public final class FloydSteinbergDitherer implements Ditherer {
    static final float LOW = -64f;
    static final float HIGH = 319f;

    private final boolean serpentine;

    /** Serpentine scan. */
    public FloydSteinbergDitherer() {
        this(true);
    }

    /** @param serpentine false: every row left to right (for comparison; the codec uses serpentine) */
    public FloydSteinbergDitherer(boolean serpentine) {
        this.serpentine = serpentine;
    }

    @Override
    public int[] map(float[] target, int width, int height, Palette palette) {
        Ditherer.checkShape(target, width, height, palette);
        int c = palette.channels();
        int[] out = new int[width * height];
        // Error rows padded by one pixel on each side so neighbours past the border need no branches.
        int rowLen = (width + 2) * c;
        float[] current = new float[rowLen];
        float[] below = new float[rowLen];
        float[] value = new float[c];
        for (int y = 0; y < height; y++) {
            boolean reverse = serpentine && (y & 1) == 1;
            int dir = reverse ? -1 : 1;
            int x = reverse ? width - 1 : 0;
            for (int i = 0; i < width; i++, x += dir) {
                int p = y * width + x;
                int e = (x + 1) * c; // padded position of x
                for (int k = 0; k < c; k++) {
                    float v = target[p * c + k] + current[e + k];
                    value[k] = v < LOW ? LOW : (v > HIGH ? HIGH : v);
                }
                int index = palette.nearest(value, 0);
                out[p] = index;
                int ahead = e + dir * c;
                int behind = e - dir * c;
                for (int k = 0; k < c; k++) {
                    float err = value[k] - palette.code(index, k);
                    current[ahead + k] += err * (7f / 16f);
                    below[behind + k] += err * (3f / 16f);
                    below[e + k] += err * (5f / 16f);
                    below[ahead + k] += err * (1f / 16f);
                }
            }
            float[] t = current;
            current = below;
            below = t;
            java.util.Arrays.fill(below, 0f);
        }
        return out;
    }
}
