package dev.sdc.bitstream;

/**
 * Codes an {@code nbits}-bit symbol MSB first through a binary tree of {@code 2^nbits} probabilities
 * starting at {@code base} (node m at {@code base + m}, m = 1 … 2^nbits − 1), as in LZMA's bit trees.
 */
final class BitTreeCoder {
    private BitTreeCoder() {
    }

    static void encode(RangeEncoder enc, short[] probs, int base, int nbits, int symbol, int shift) {
        int m = 1;
        for (int i = nbits - 1; i >= 0; i--) {
            int bit = (symbol >>> i) & 1;
            enc.encodeBit(probs, base + m, bit, shift);
            m = (m << 1) | bit;
        }
    }

    static int decode(RangeDecoder dec, short[] probs, int base, int nbits, int shift) {
        int m = 1;
        for (int i = 0; i < nbits; i++) {
            m = (m << 1) | dec.decodeBit(probs, base + m, shift);
        }
        return m - (1 << nbits);
    }
}
