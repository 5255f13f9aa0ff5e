package dev.sdc.bitstream;

import java.util.Arrays;

/**
 * Every header field of a .sdc file (docs/FORMAT.md), up to and including the default decode settings.
 *
 * @param width        image width in pixels
 * @param height       image height in pixels
 * @param bundleName   model bundle name, ASCII [A-Za-z0-9._-], 1..32 chars
 * @param fingerprint  8-byte bundle fingerprint (docs/MODELS.md)
 * @param channels     latent channels C
 * @param factor       VAE downscale factor f (power of two)
 * @param latentWidth  latent width
 * @param latentHeight latent height
 * @param mode         quantizer mode (0 = palette, 1 = scalar)
 * @param quantMin     mode 0: raw latent value of code 0; mode 1: lower clamp of dequantised values
 * @param quantMax     mode 0: raw latent value of code 255; mode 1: upper clamp of dequantised values
 * @param strength     default denoise strength
 * @param steps        default denoise steps
 */
public record SdcHeader(int width, int height, String bundleName, byte[] fingerprint, int channels, int factor,
                        int latentWidth, int latentHeight, int mode, float quantMin, float quantMax,
                        float strength, int steps) {
    public static final int MODE_PALETTE = 0;
    public static final int MODE_SCALAR = 1;
    /** The format version this code reads and writes. */
    public static final int VERSION = SdcFormat.VERSION;
    static final int MAX_DIM = 65_536;
    static final long MAX_PIXELS = 1L << 28;
    static final int MAX_LATENT_DIM = 65_535;
    static final long MAX_LATENT_CODES = 1L << 26;
    static final int MAX_NAME = 32;
    static final int MAX_CHANNELS = 16;
    static final int MAX_FACTOR = 64;
    static final int MAX_STEPS = 1000;
    static final int FINGERPRINT_BYTES = 8;

    public SdcHeader {
        fingerprint = fingerprint == null ? null : fingerprint.clone();
    }

    @Override
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /**
     * Checks every bound of docs/FORMAT.md that involves header fields only.
     *
     * @throws FormatException naming the first violated bound
     */
    public void validate() {
        checkImageSize(width, height);
        checkName(bundleName);
        if (fingerprint == null || fingerprint.length != FINGERPRINT_BYTES) {
            throw new FormatException("fingerprint must be " + FINGERPRINT_BYTES + " bytes");
        }
        checkLatentShape(width, height, channels, factor, latentWidth, latentHeight);
        checkSettings(mode, quantMin, quantMax, strength, steps);
    }

    static void checkImageSize(long width, long height) {
        if (width < 1 || width > MAX_DIM || height < 1 || height > MAX_DIM) {
            throw new FormatException("image size " + width + "x" + height + " out of range 1..65536");
        }
        if (width * height > MAX_PIXELS) {
            throw new FormatException("image size " + width + "x" + height + " exceeds 2^28 pixels");
        }
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            throw new FormatException("bundle name must be 1.." + MAX_NAME + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isNameChar(name.charAt(i))) {
                throw new FormatException("bundle name contains a character outside [A-Za-z0-9._-]");
            }
        }
    }

    static boolean isNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    static void checkLatentShape(int width, int height, int channels, int factor, int lw, int lh) {
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new FormatException("latent channels " + channels + " out of range 1.." + MAX_CHANNELS);
        }
        if (factor < 1 || factor > MAX_FACTOR || Integer.bitCount(factor) != 1) {
            throw new FormatException("VAE factor " + factor + " is not a power of two 1.." + MAX_FACTOR);
        }
        checkLatentDim("width", width, factor, lw);
        checkLatentDim("height", height, factor, lh);
        if ((long) lw * lh * channels > MAX_LATENT_CODES) {
            throw new FormatException("latent " + channels + "x" + lh + "x" + lw + " exceeds 2^26 codes");
        }
    }

    private static void checkLatentDim(String what, int pixels, int factor, int latent) {
        int min = (pixels + factor - 1) / factor;
        int max = min + 512 / factor;
        if (latent < 1 || latent > MAX_LATENT_DIM || latent < min || latent > max) {
            throw new FormatException("latent " + what + " " + latent + " inconsistent with image " + what + " "
                    + pixels + " and factor " + factor + " (must be " + min + ".." + Math.min(max, MAX_LATENT_DIM) + ")");
        }
    }

    static void checkMode(int mode) {
        PayloadFormats.of(mode); // throws for a mode this version does not define
    }

    static void checkSettings(int mode, float quantMin, float quantMax, float strength, int steps) {
        checkMode(mode);
        if (!Float.isFinite(quantMin) || !Float.isFinite(quantMax) || !(quantMin < quantMax)) {
            throw new FormatException("bad quantizer range [" + quantMin + ", " + quantMax + "]");
        }
        if (!(strength >= 0f && strength <= 1f)) {
            throw new FormatException("denoise strength " + strength + " out of range 0..1");
        }
        if (steps < 0 || steps > MAX_STEPS) {
            throw new FormatException("denoise steps " + steps + " out of range 0.." + MAX_STEPS);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SdcHeader h && width == h.width && height == h.height
                && bundleName.equals(h.bundleName) && Arrays.equals(fingerprint, h.fingerprint)
                && channels == h.channels && factor == h.factor && latentWidth == h.latentWidth
                && latentHeight == h.latentHeight && mode == h.mode
                && Float.compare(quantMin, h.quantMin) == 0 && Float.compare(quantMax, h.quantMax) == 0
                && Float.compare(strength, h.strength) == 0 && steps == h.steps;
    }

    @Override
    public int hashCode() {
        return ((width * 31 + height) * 31 + bundleName.hashCode()) * 31 + Arrays.hashCode(fingerprint);
    }

    @Override
    public String toString() {
        return "SdcHeader[" + width + "x" + height + ", bundle=" + bundleName + ", C=" + channels + ", f=" + factor
                + ", latent=" + latentWidth + "x" + latentHeight + ", mode=" + mode + ", quant=[" + quantMin + ", "
                + quantMax + "], strength=" + strength + ", steps=" + steps + "]";
    }
}
