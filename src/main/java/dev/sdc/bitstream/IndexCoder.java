package dev.sdc.bitstream;

/**
 * Entropy coder of a palette-index image (docs/FORMAT.md, "Index coder"): raster order, each index coded
 * MSB first through a bit tree whose probabilities are selected by a context of already-coded neighbours.
 */
public final class IndexCoder {
    /** The context model of format version 1. */
    static final ContextModel V1 = new ContextModel(BitModel.SHIFT, 16, false, false, false, 1);

    private IndexCoder() {
    }

    /** Number of tree levels for a palette of {@code n} entries: ceil(log2 n), 0 for n = 1. */
    static int bitsFor(int n) {
        return 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    /** Codes {@code width·height} indices, each in [0, paletteSize), into a self-terminating stream. */
    public static byte[] encode(int[] indices, int width, int height, int paletteSize) {
        return encode(indices, width, height, paletteSize, V1);
    }

    static byte[] encode(int[] indices, int width, int height, int paletteSize, ContextModel model) {
        int nbits = bitsFor(paletteSize);
        short[] probs = BitModel.newProbs(model.contexts() << nbits);
        RangeEncoder enc = new RangeEncoder();
        if (nbits > 0) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int s = indices[y * width + x];
                    if (s < 0 || s >= paletteSize) {
                        throw new IllegalArgumentException("index " + s + " out of palette of " + paletteSize);
                    }
                    int ctx = model.context(indices, width, x, y, nbits);
                    BitTreeCoder.encode(enc, probs, ctx << nbits, nbits, s, model.shift());
                }
            }
        }
        return enc.finish();
    }

    /**
     * Decodes {@code width·height} indices from {@code data[offset, offset+length)}, which must be exactly
     * one stream. Throws only {@link FormatException} for bad data.
     */
    public static int[] decode(byte[] data, int offset, int length, int width, int height, int paletteSize) {
        return decode(data, offset, length, width, height, paletteSize, V1);
    }

    static int[] decode(byte[] data, int offset, int length, int width, int height, int paletteSize,
                        ContextModel model) {
        int nbits = bitsFor(paletteSize);
        short[] probs = BitModel.newProbs(model.contexts() << nbits);
        RangeDecoder dec = new RangeDecoder(data, offset, length);
        int[] indices = new int[width * height];
        if (nbits > 0) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int ctx = model.context(indices, width, x, y, nbits);
                    int s = BitTreeCoder.decode(dec, probs, ctx << nbits, nbits, model.shift());
                    if (s >= paletteSize) {
                        throw new FormatException("index stream: index " + s + " >= palette size "
                                + paletteSize);
                    }
                    indices[y * width + x] = s;
                }
            }
        }
        dec.finish();
        return indices;
    }

    /**
     * A context model: which neighbour statistics select the probability tree. Version 1 uses
     * {@link #V1}; the other settings exist so {@link CoderComparison} can measure alternatives.
     *
     * @param shift    probability adaptation shift
     * @param buckets  number of buckets of the predicted index (power of two, 1 = no prediction)
     * @param med      predict with median(L, U, L+U−UL); otherwise predict L
     * @param sameLU   add the flag L == U
     * @param sameUUR  add the flag U == UR
     * @param bucketsU number of buckets of U, combined with the prediction's (1 = U not used this way)
     */
    record ContextModel(int shift, int buckets, boolean med, boolean sameLU, boolean sameUUR, int bucketsU) {
        int contexts() {
            return buckets * bucketsU * (sameLU ? 2 : 1) * (sameUUR ? 2 : 1);
        }

        int context(int[] idx, int width, int x, int y, int nbits) {
            int l, u, ul, ur;
            if (y == 0) {
                l = x == 0 ? 0 : idx[x - 1];
                u = ul = ur = l;
            } else {
                int row = y * width;
                int up = row - width;
                u = idx[up + x];
                if (x == 0) {
                    l = ul = u;
                } else {
                    l = idx[row + x - 1];
                    ul = idx[up + x - 1];
                }
                ur = x == width - 1 ? u : idx[up + x + 1];
            }
            int pred = med ? median(l, u, l + u - ul) : l;
            int bucket = (pred * buckets) >> nbits;
            int ctx = bucket * bucketsU + ((u * bucketsU) >> nbits);
            if (sameLU) {
                ctx = ctx * 2 + (l == u ? 1 : 0);
            }
            if (sameUUR) {
                ctx = ctx * 2 + (u == ur ? 1 : 0);
            }
            return ctx;
        }

        private static int median(int a, int b, int c) {
            return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
        }
    }
}
