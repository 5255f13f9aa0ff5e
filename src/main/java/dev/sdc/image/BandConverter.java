package dev.sdc.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * Converts decoded bands of an image into one upright 8-bit sRGB {@link RgbImage}: colour to sRGB, alpha
 * composited onto a background, the EXIF orientation applied, all in one pass per band so no full-size
 * intermediate is kept.
 *
 * <p>Colour rules (README "Input images"):
 * <ul>
 * <li>Grey without an embedded profile is sRGB-encoded grey: v becomes (v, v, v). Java's own CS_GRAY is
 *     linear light, and converting through it (as {@code BufferedImage.getRGB} does) brightens mid-grey
 *     129 to about 175.</li>
 * <li>An embedded ICC profile (the reader's colour space, or a PNG's iCCP) is converted to sRGB by
 *     {@link ColorConvertOp} (the JDK's LittleCMS), grey profiles included (their gamma is honoured).</li>
 * <li>A PNG's gAMA, where it governs ({@link ContainerFacts#governingGamma}: no iCCP, no sRGB chunk, not sRGB's
 *     1/2.2), is converted to sRGB from the samples at their own bit depth: light = (v / max)^(1 / gamma), then
 *     the sRGB curve, rounded to 8 bits. A linear-light PNG (gAMA 100000) read as sRGB looked far too dark.</li>
 * <li>More than 8 bits are rounded to 8: v16 becomes round(v16 / 257).</li>
 * <li>Alpha is composited in sRGB-encoded values, as browsers do: c' = round((c·a + bg·(255 − a)) / 255).</li>
 * </ul>
 */
final class BandConverter {
    private static final ICC_Profile SRGB = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
    private static final byte[] BUILTIN_GRAY = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();

    private final int width;
    private final int height;
    private final Orientation orientation;
    private final ICC_Profile containerProfile;
    /** The samples' gamma where it must be converted to sRGB, else 0; {@link #gammaLuts} holds its tables. */
    private final double sourceGamma;
    private final int[][] gammaLuts = new int[17][];
    private final int bgR;
    private final int bgG;
    private final int bgB;
    private final RgbImage out;
    private boolean sawTransparency;

    /**
     * @param width            stored width of the whole image
     * @param height           stored height
     * @param containerProfile a profile found outside the reader (PNG iCCP) that overrides the reader's colour space, or null
     * @param sourceGamma      the gamma the samples are encoded with where it is not sRGB's (PNG gAMA), else 0
     */
    BandConverter(int width, int height, Orientation orientation, ICC_Profile containerProfile, double sourceGamma,
                  int background) {
        this.width = width;
        this.height = height;
        this.orientation = orientation;
        this.containerProfile = containerProfile;
        this.sourceGamma = sourceGamma;
        this.bgR = background >> 16 & 0xFF;
        this.bgG = background >> 8 & 0xFF;
        this.bgB = background & 0xFF;
        this.out = RgbImage.blank(orientation.uprightWidth(width, height), orientation.uprightHeight(width, height));
    }

    RgbImage image() {
        return out;
    }

    /** Whether any pixel so far was not fully opaque. */
    boolean sawTransparency() {
        return sawTransparency;
    }

    /** Adds rows {@code [0, rows)} of {@code band}, which are stored rows {@code [y0, y0 + rows)} of the image. */
    void add(BufferedImage band, int y0, int rows) {
        ColorModel cm = band.getColorModel();
        WritableRaster raster = band.getRaster();
        int[] argb = new int[width];
        if (cm instanceof IndexColorModel icm) {
            int[] index = new int[width];
            for (int y = 0; y < rows; y++) {
                raster.getSamples(0, y, width, 1, 0, index);
                for (int x = 0; x < width; x++) {
                    argb[x] = icm.getRGB(index[x]);
                }
                if (sourceGamma > 0) {
                    toSrgb(argb);
                }
                put(argb, y0 + y);
            }
            return;
        }
        boolean integerSamples = raster.getTransferType() != DataBuffer.TYPE_FLOAT
                && raster.getTransferType() != DataBuffer.TYPE_DOUBLE;
        if (!(cm instanceof ComponentColorModel || cm instanceof DirectColorModel) || !integerSamples) {
            viaGetRgb(band, y0, rows, argb);
            return;
        }
        if (cm.isAlphaPremultiplied()) {
            // on a copy: the band may be the caller's image (ImageIO.write), which an encoder must not change
            WritableRaster copy = raster.createCompatibleWritableRaster();
            copy.setRect(raster);
            BufferedImage own = new BufferedImage(cm, copy, true, null);
            own.coerceData(false);
            cm = own.getColorModel();
            raster = own.getRaster();
        }
        int colours = cm.getNumColorComponents();
        ICC_Profile profile = profileToApply(cm.getColorSpace(), colours);
        Raster colour = raster;
        int[] bits = cm.getComponentSize();
        if (profile != null) {
            // LittleCMS converts the colour bands of the whole band at once; alpha is taken from the source.
            WritableRaster src = raster.createWritableChild(0, 0, width, rows, 0, 0, range(colours));
            WritableRaster dst = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, rows, 3, null);
            new ColorConvertOp(new ICC_Profile[] {profile, SRGB}, null).filter(src, dst);
            colour = dst;
            colours = 3;
            bits = new int[] {8, 8, 8};
        } else if (colours != 1 && !(colours == 3 && cm.getColorSpace().isCS_sRGB())
                && !(colours == 3 && cm.getColorSpace().getType() == ColorSpace.TYPE_RGB)) {
            viaGetRgb(band, y0, rows, argb); // CMYK or another space without a profile: Java's own conversion
            return;
        }
        boolean gamma = sourceGamma > 0 && profile == null;
        int alphaBand = cm.hasAlpha() ? cm.getNumColorComponents() : -1;
        int alphaBits = alphaBand < 0 ? 8 : cm.getComponentSize(alphaBand);
        int[] c0 = new int[width];
        int[] c1 = colours == 3 ? new int[width] : c0;
        int[] c2 = colours == 3 ? new int[width] : c0;
        int[] a = new int[width];
        Arrays.fill(a, 255);
        for (int y = 0; y < rows; y++) {
            colour.getSamples(0, y, width, 1, 0, c0);
            toEight(c0, bits[0], gamma);
            if (colours == 3) {
                colour.getSamples(0, y, width, 1, 1, c1);
                colour.getSamples(0, y, width, 1, 2, c2);
                toEight(c1, bits[1], gamma);
                toEight(c2, bits[2], gamma);
            }
            if (alphaBand >= 0) {
                raster.getSamples(0, y, width, 1, alphaBand, a);
                scale(a, alphaBits);
            }
            for (int x = 0; x < width; x++) {
                argb[x] = a[x] << 24 | c0[x] << 16 | c1[x] << 8 | c2[x];
            }
            put(argb, y0 + y);
        }
    }

    /** The profile to convert from, or null where the samples are already sRGB (or sRGB-encoded grey). */
    private ICC_Profile profileToApply(ColorSpace cs, int colours) {
        if (containerProfile != null && containerProfile.getNumComponents() == colours) {
            return containerProfile;
        }
        if (!(cs instanceof ICC_ColorSpace ics) || cs.isCS_sRGB()) {
            return null;
        }
        ICC_Profile p = ics.getProfile();
        if (colours == 1 && (cs == ColorSpace.getInstance(ColorSpace.CS_GRAY) || Arrays.equals(p.getData(), BUILTIN_GRAY))) {
            return null; // no embedded profile: Java's default linear grey, which real grey files are not
        }
        return p;
    }

    private void viaGetRgb(BufferedImage band, int y0, int rows, int[] argb) {
        for (int y = 0; y < rows; y++) {
            band.getRGB(0, y, width, 1, argb, 0, width);
            put(argb, y0 + y);
        }
    }

    /** Samples of {@code bits} bits to 8-bit sRGB in place: through the gamma table, or {@link #scale}d. */
    private void toEight(int[] v, int bits, boolean gamma) {
        if (!gamma) {
            scale(v, bits);
            return;
        }
        int[] lut = gammaLut(bits);
        for (int i = 0; i < v.length; i++) {
            v[i] = lut[v[i]];
        }
    }

    /** The colour components of 8-bit ARGB pixels (a palette's) converted from {@link #sourceGamma} to sRGB. */
    private void toSrgb(int[] argb) {
        int[] lut = gammaLut(8);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            argb[i] = p & 0xFF000000 | lut[p >> 16 & 0xFF] << 16 | lut[p >> 8 & 0xFF] << 8 | lut[p & 0xFF];
        }
    }

    /** For each sample value v of {@code bits} bits: round(255 · sRGB((v / max)^(1 / sourceGamma))). */
    private int[] gammaLut(int bits) {
        if (gammaLuts[bits] == null) {
            int max = (1 << bits) - 1;
            int[] lut = new int[max + 1];
            for (int v = 0; v <= max; v++) {
                double light = Math.pow((double) v / max, 1 / sourceGamma);
                double srgb = light <= 0.0031308 ? 12.92 * light : 1.055 * Math.pow(light, 1 / 2.4) - 0.055;
                lut[v] = (int) Math.round(255 * Math.min(1, Math.max(0, srgb)));
            }
            gammaLuts[bits] = lut;
        }
        return gammaLuts[bits];
    }

    /** Rounds samples of {@code bits} bits to 8 bits in place: round(v · 255 / (2^bits − 1)). */
    private static void scale(int[] v, int bits) {
        if (bits == 8) {
            return;
        }
        long max = (1L << bits) - 1;
        for (int i = 0; i < v.length; i++) {
            v[i] = (int) ((v[i] * 255L + max / 2) / max);
        }
    }

    /** Composites one stored row of non-premultiplied ARGB onto the background and places it upright. */
    private void put(int[] argb, int y) {
        byte[] rgb = out.rgb();
        for (int x = 0; x < width; x++) {
            int p = argb[x];
            int alpha = p >>> 24;
            int r = p >> 16 & 0xFF;
            int g = p >> 8 & 0xFF;
            int b = p & 0xFF;
            if (alpha != 255) {
                sawTransparency = true;
                int t = 255 - alpha;
                r = (r * alpha + bgR * t + 127) / 255;
                g = (g * alpha + bgG * t + 127) / 255;
                b = (b * alpha + bgB * t + 127) / 255;
            }
            int o = Math.toIntExact(3 * orientation.targetIndex(x, y, width, height));
            rgb[o] = (byte) r;
            rgb[o + 1] = (byte) g;
            rgb[o + 2] = (byte) b;
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
