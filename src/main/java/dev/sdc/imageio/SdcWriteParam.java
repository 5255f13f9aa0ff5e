package dev.sdc.imageio;

import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.EncodeOptions;

import javax.imageio.ImageWriteParam;

/**
 * Encoder settings for {@code ImageIO.write}; obtain it from {@code writer.getDefaultWriteParam()} and cast.
 *
 * <ul>
 *   <li>Palette mode (the default, as {@code sdc encode}): {@link #setColors} (1..256, default 256) and
 *       {@link #setDither} (default on).</li>
 *   <li>Scalar mode (quantizer mode 1, as {@code sdc encode --mode scalar}), through ImageIO's own compression
 *       API: {@code setCompressionMode(MODE_EXPLICIT)}, {@code setCompressionType("scalar")} and optionally
 *       {@code setCompressionQuality(q)}, q in 0..1 being {@code --quality 100·q}; without a quality, the
 *       bundle's default level. The bundle needs a scalar prior, else the write fails with an IIOException.</li>
 * </ul>
 * A compression quality set with the type {@code "palette"} is ignored, not refused (generic tools set one for
 * every writer); the palette mode's knob is {@link #setColors}. Unset, {@code getCompressionQuality()} reads
 * 1.0, ImageIO's own default, which stands for the bundle's default level here.
 */
public final class SdcWriteParam extends ImageWriteParam {
    /** ImageIO compression type of the palette mode (mode 0). */
    public static final String PALETTE = "palette";
    /** ImageIO compression type of the scalar mode (mode 1). */
    public static final String SCALAR = "scalar";

    private int colors = EncodeOptions.DEFAULT_COLORS;
    private boolean dither = true;
    private int background = dev.sdc.image.ReadOptions.DEFAULT_BACKGROUND;
    /** Whether setCompressionQuality was called since the type was set: ImageIO's field defaults to 1.0. */
    private boolean qualitySet;

    SdcWriteParam() {
        super(null);
        canWriteCompressed = true;
        compressionTypes = new String[] {PALETTE, SCALAR};
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

    /** The colour (0xRRGGBB) transparent pixels are composited onto, as the CLI's --background; white by default. */
    public int getBackground() {
        return background;
    }

    /** @throws IllegalArgumentException outside 0x000000..0xFFFFFF */
    public void setBackground(int rgb) {
        if ((rgb & ~0xFFFFFF) != 0) {
            throw new IllegalArgumentException("background must be 0xRRGGBB, got 0x" + Integer.toHexString(rgb));
        }
        this.background = rgb;
    }

    public boolean isDither() {
        return dither;
    }

    public void setDither(boolean dither) {
        this.dither = dither;
    }

    @Override
    public void setCompressionType(String type) {
        super.setCompressionType(type);
        qualitySet = false;
    }

    @Override
    public void setCompressionQuality(float quality) {
        super.setCompressionQuality(quality);
        qualitySet = true;
    }

    @Override
    public void unsetCompression() {
        super.unsetCompression();
        qualitySet = false;
    }

    /** Whether these settings ask for the scalar mode. */
    boolean scalar() {
        return getCompressionMode() == MODE_EXPLICIT && SCALAR.equals(getCompressionType());
    }

    /** The codec's options; {@code codec} maps a scalar quality to the bundle's level and rate factor. */
    EncodeOptions toOptions(BundleCodec codec) {
        if (!scalar()) {
            return new EncodeOptions(colors, dither);
        }
        return codec.scalarOptions(qualitySet ? 100.0 * getCompressionQuality() : null);
    }

    /** Both modes are lossy: generic tools ask this before they re-encode. */
    @Override
    public boolean isCompressionLossless() {
        super.isCompressionLossless(); // the same IllegalStateException as ImageWriteParam when no type is set
        return false;
    }
}
