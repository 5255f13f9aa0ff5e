package dev.sdc.bitstream.scalar;

import dev.sdc.bitstream.FormatException;

/**
 * Entropy coder of integer latents {@code q[C][H][W]} for quantizer mode 1 (docs/SCALAR.md): channel by
 * channel, each in raster order; every value is coded with the table of its channel chosen by
 * {@link ContextModel#context} of {@code |left| + |top|} (0 outside the latent), and a value outside the
 * table's range is the escape symbol followed by a side bit and an order-0 Exp-Golomb distance in
 * equiprobable bits. No floating-point value takes part in coding.
 */
public final class ScalarLatentCoder {
    /** Largest |value| of a latent integer (bounds the escape code, and the decoder's output). */
    public static final int MAX_ABS = (1 << 20) - 1;
    public static final int MAX_CHANNELS = 16;
    public static final int MAX_CONTEXTS = 16;
    /** Largest latent C·H·W a decoder allocates (docs/FORMAT.md's bound). */
    public static final long MAX_VALUES = 1L << 26;
    /** Exp-Golomb prefix bound: a distance ≤ 2·MAX_ABS has at most 21 prefix bits. */
    static final int MAX_PREFIX = 21;

    private ScalarLatentCoder() {
    }

    /** Codes {@code q} (every value within ±{@link #MAX_ABS}); returns the range-coded stream. */
    public static byte[] encode(int[][][] q, ContextModel model) {
        int[] dims = checkShape(q, model);
        FrequencyRangeEncoder enc = new FrequencyRangeEncoder(model.precision());
        for (int c = 0; c < dims[0]; c++) {
            int[][] plane = q[c];
            for (int y = 0; y < dims[1]; y++) {
                for (int x = 0; x < dims[2]; x++) {
                    int v = plane[y][x];
                    CdfTable t = model.table(c, model.context(magnitude(plane, y, x)));
                    int s = t.symbolOf(v);
                    enc.encode(t.cumLow(s), t.freq(s));
                    if (s == t.symbols()) {
                        encodeEscape(enc, t, v);
                    }
                }
            }
        }
        return enc.finish();
    }

    /**
     * Decodes a stream of exactly {@code length} bytes into {@code [channels][height][width]} integers.
     *
     * @throws FormatException for any stream the encoder cannot have produced for this shape and model
     */
    public static int[][][] decode(byte[] data, int offset, int length, int channels, int height, int width,
            ContextModel model) {
        if (channels != model.channels() || height < 1 || width < 1
                || (long) channels * height * width > MAX_VALUES) {
            throw new IllegalArgumentException("latent shape " + channels + "x" + height + "x" + width);
        }
        FrequencyRangeDecoder dec = new FrequencyRangeDecoder(data, offset, length, model.precision());
        int[][][] q = new int[channels][height][width];
        for (int c = 0; c < channels; c++) {
            int[][] plane = q[c];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    CdfTable t = model.table(c, model.context(magnitude(plane, y, x)));
                    int s = t.find(dec.target());
                    dec.consume(t.cumLow(s), t.freq(s));
                    plane[y][x] = s == t.symbols() ? decodeEscape(dec, t) : t.offset() + s;
                }
            }
        }
        dec.finish();
        return q;
    }

    /** Ideal code length of {@code q} in bits: Σ −log2 p over the coded symbols plus the escape bits. */
    public static double idealBits(int[][][] q, ContextModel model) {
        int[] dims = checkShape(q, model);
        double bits = 0;
        for (int c = 0; c < dims[0]; c++) {
            int[][] plane = q[c];
            for (int y = 0; y < dims[1]; y++) {
                for (int x = 0; x < dims[2]; x++) {
                    CdfTable t = model.table(c, model.context(magnitude(plane, y, x)));
                    int s = t.symbolOf(plane[y][x]);
                    bits += t.bits(s);
                    if (s == t.symbols()) {
                        bits += escapeBits(t, plane[y][x]);
                    }
                }
            }
        }
        return bits;
    }

    private static int magnitude(int[][] plane, int y, int x) {
        int left = x > 0 ? Math.abs(plane[y][x - 1]) : 0;
        int top = y > 0 ? Math.abs(plane[y - 1][x]) : 0;
        return left + top; // ≤ 2·MAX_ABS: no overflow
    }

    /** Escape distance ≥ 0 and side: below the table's range (side 0) or above it (side 1). */
    private static int distance(CdfTable t, int v) {
        return v < t.offset() ? t.offset() - 1 - v : v - (t.offset() + t.symbols());
    }

    static int escapeBits(CdfTable t, int v) {
        int nb = 31 - Integer.numberOfLeadingZeros(distance(t, v) + 1);
        return 1 + nb + 1 + nb;
    }

    private static void encodeEscape(FrequencyRangeEncoder enc, CdfTable t, int v) {
        enc.encodeRaw(v < t.offset() ? 0 : 1, 1);
        int u = distance(t, v) + 1;
        int nb = 31 - Integer.numberOfLeadingZeros(u);
        for (int i = 0; i < nb; i++) {
            enc.encodeRaw(1, 1);
        }
        enc.encodeRaw(0, 1);
        enc.encodeRaw(u & ((1 << nb) - 1), nb);
    }

    private static int decodeEscape(FrequencyRangeDecoder dec, CdfTable t) {
        int side = dec.decodeRaw(1);
        int nb = 0;
        while (dec.decodeRaw(1) == 1) {
            if (++nb > MAX_PREFIX) {
                throw new FormatException("latent stream: escape code too long");
            }
        }
        long d = ((1L << nb) | dec.decodeRaw(nb)) - 1;
        long v = side == 0 ? t.offset() - 1L - d : (long) t.offset() + t.symbols() + d;
        if (Math.abs(v) > MAX_ABS) {
            throw new FormatException("latent stream: escaped value " + v + " beyond ±" + MAX_ABS);
        }
        return (int) v;
    }

    private static int[] checkShape(int[][][] q, ContextModel model) {
        if (q.length != model.channels() || q[0].length < 1 || q[0][0].length < 1) {
            throw new IllegalArgumentException("latent has " + q.length + " channels, model " + model.channels());
        }
        int h = q[0].length;
        int w = q[0][0].length;
        for (int[][] plane : q) {
            if (plane.length != h) {
                throw new IllegalArgumentException("ragged latent");
            }
            for (int[] row : plane) {
                if (row.length != w) {
                    throw new IllegalArgumentException("ragged latent");
                }
                for (int v : row) {
                    if (v < -MAX_ABS || v > MAX_ABS) {
                        throw new IllegalArgumentException("latent value " + v + " beyond ±" + MAX_ABS);
                    }
                }
            }
        }
        return new int[] {q.length, h, w};
    }
}
