package dev.sdc.eval;

import dev.sdc.codec.EncodeOptions;
import dev.sdc.codec.RateTarget;
import dev.sdc.codec.SdcCodec;
import dev.sdc.image.RgbImage;


/**
 * One sdc setting an evaluation encodes every image at: a palette size (codec {@value #PALETTE_CODEC}) or a
 * scalar-mode bit-rate target reached by rate control (codec {@value #SCALAR_CODEC}). The two modes are
 * separate codec names so the report and the RD plots show one curve each; baselines are matched to the
 * bytes of every setting.
 *
 * @param codec   the codec column of the result rows
 * @param setting the setting column, e.g. {@code colors=16}, {@code bpp=0.05}
 * @param call    how the encode is described in the rows' command column
 * @param encoder the encode itself
 */
public record SdcSetting(String codec, String setting, String call, Encoder encoder) {
    public static final String PALETTE_CODEC = "sdc";
    public static final String SCALAR_CODEC = "sdc-scalar";

    /** Whether an eval row's codec is one of sdc's own ({@value #PALETTE_CODEC}, {@value #SCALAR_CODEC}, their ablations). */
    static boolean isSdcCodec(String codec) {
        return codec.equals(PALETTE_CODEC) || codec.startsWith(PALETTE_CODEC + "-");
    }

    /** Makes the .sdc bytes of one image. */
    @FunctionalInterface
    public interface Encoder {
        byte[] encode(SdcCodec codec, RgbImage image);
    }

    /** The palette mode at {@code colors} colours with dithering. */
    public static SdcSetting palette(int colors) {
        return new SdcSetting(PALETTE_CODEC, "colors=" + colors, "SdcCodec.encode(colors=" + colors + ", dither=true)",
                (codec, image) -> codec.encode(image, new EncodeOptions(colors, true)));
    }

    /**
     * The scalar mode at the largest rate whose file is at most {@code bpp} bits per pixel.
     *
     * @param bpp the target as text, e.g. "0.05" (parsed and bounded as {@code --bpp})
     * @throws IllegalArgumentException if it is not a valid bit-rate target
     */
    public static SdcSetting scalar(String bpp) {
        RateTarget target = RateTarget.parseBitsPerPixel(bpp);
        // one spelling per value (0.050 and 5e-2 are 0.05): labels, sheet names and the repeat check use it
        String plain = java.math.BigDecimal.valueOf(target.bitsPerPixelValue()).stripTrailingZeros().toPlainString();
        return new SdcSetting(SCALAR_CODEC, "bpp=" + plain, "SdcCodec.encode(mode=scalar, target=" + plain + " bpp)",
                (codec, image) -> codec.encode(image, target, EncodeOptions.scalar(null)).bytes());
    }

    /** How sheets name the setting: {@code colors=16} for the palette mode, {@code sdc-scalar bpp=0.05} otherwise. */
    public String label() {
        return codec.equals(PALETTE_CODEC) ? setting : codec + " " + setting;
    }

    /** The codec name of this setting's no-denoise ablation rows. */
    public String noDenoiseCodec() {
        return codec.equals(PALETTE_CODEC) ? EvalRunner.NO_DENOISE : codec + "-no-denoise";
    }
}
