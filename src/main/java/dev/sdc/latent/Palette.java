package dev.sdc.latent;

import java.util.Arrays;

/**
 * An ordered set of 1..256 C-dimensional colours in 8-bit latent code space, entry-major. Besides the codes it
 * keeps a search structure ({@link NearestSearch}) so the per-pixel nearest-entry lookup is exact, allocation-free
 * and visits only entries whose projection on the palette's principal axis is close to the query's.
 */
public final class Palette {
    public static final int MAX_ENTRIES = 256;
    public static final int MAX_CHANNELS = 16;

    private final int channels;
    private final int size;
    private final int[] codes;
    private final NearestSearch search;

    /**
     * @param channels C, 1..16
     * @param codes    {@code size * C} codes 0..255, entry-major; copied
     */
    public Palette(int channels, int[] codes) {
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("palette channels must be 1.." + MAX_CHANNELS + ", got " + channels);
        }
        if (codes.length == 0 || codes.length % channels != 0 || codes.length / channels > MAX_ENTRIES) {
            throw new IllegalArgumentException("palette needs 1.." + MAX_ENTRIES + " entries of " + channels
                    + " codes, got " + codes.length + " codes");
        }
        this.channels = channels;
        this.size = codes.length / channels;
        this.codes = codes.clone();
        float[] entries = new float[codes.length];
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] > LatentQuantizer.MAX_CODE) {
                throw new IllegalArgumentException("palette code out of range 0..255: " + codes[i]);
            }
            entries[i] = codes[i];
        }
        int[] ones = new int[size];
        Arrays.fill(ones, 1);
        this.search = new NearestSearch(entries, channels, PaletteBuilder.principalAxis(codes, ones, size, channels));
    }

    /** The palette stored in a {@link PaletteLatent}. */
    public static Palette of(PaletteLatent latent) {
        byte[] bytes = latent.palette();
        int[] codes = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            codes[i] = bytes[i] & 0xFF;
        }
        return new Palette(latent.channels(), codes);
    }

    public int channels() {
        return channels;
    }

    public int size() {
        return size;
    }

    public int code(int entry, int c) {
        return codes[entry * channels + c];
    }

    /** Codes entry-major, a copy. */
    public int[] codes() {
        return codes.clone();
    }

    /** Codes entry-major as unsigned bytes, the {@link PaletteLatent#palette()} layout. */
    public byte[] toBytes() {
        byte[] out = new byte[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = (byte) codes[i];
        }
        return out;
    }

    /**
     * Index of the entry nearest (squared Euclidean distance) to the C-vector at {@code vector[offset ..]};
     * ties go to the lowest index.
     */
    public int nearest(float[] vector, int offset) {
        return search.nearest(vector, offset);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Palette p && p.channels == channels && Arrays.equals(p.codes, codes);
    }

    @Override
    public int hashCode() {
        return 31 * channels + Arrays.hashCode(codes);
    }

    @Override
    public String toString() {
        return "Palette[" + size + " x " + channels + "]";
    }
}
