package dev.sdc.imageio;

import dev.sdc.codec.EncodeOptions;

import javax.imageio.ImageWriteParam;

/**
 * Encoder settings for {@code ImageIO.write}: the palette size (1..256, default 256) and dithering (default
 * on). Obtain it from {@code writer.getDefaultWriteParam()} and cast.
 */
public final class SdcWriteParam extends ImageWriteParam {
    private int colors = EncodeOptions.DEFAULT_COLORS;
    private boolean dither = true;

    SdcWriteParam() {
        super(null);
    }

    public int getColors() {
        return colors;
    }

    /** @throws IllegalArgumentException outside 1..256 */
    public void setColors(int colors) {
        if (colors < 1 || colors > 256) {
            throw new IllegalArgumentException("colors must be 1..256, got " + colors);
        }
        this.colors = colors;
    }

    public boolean isDither() {
        return dither;
    }

    public void setDither(boolean dither) {
        this.dither = dither;
    }

    EncodeOptions toOptions() {
        return new EncodeOptions(colors, dither);
    }
}
