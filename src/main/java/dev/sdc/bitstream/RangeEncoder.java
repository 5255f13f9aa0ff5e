package dev.sdc.bitstream;

/**
 * LZMA-style binary range encoder (docs/FORMAT.md, "Index coder"): 32-bit range, 33-bit low with carry
 * propagation through a cached byte and a count of pending 0xFF bytes ({@link RangeCoderOutput}).
 */
final class RangeEncoder {
    private static final int TOP = 1 << 24;

    private final RangeCoderOutput out = new RangeCoderOutput();
    private int range = 0xFFFFFFFF;

    /** Codes {@code bit} with the adaptive probability {@code probs[i]} and adapts it. */
    void encodeBit(short[] probs, int i, int bit, int shift) {
        int p = probs[i];
        int bound = (range >>> BitModel.PROB_BITS) * p;
        if (bit == 0) {
            range = bound;
            probs[i] = (short) (p + ((BitModel.ONE - p) >>> shift));
        } else {
            out.addToLow(bound & 0xFFFFFFFFL);
            range -= bound;
            probs[i] = (short) (p - (p >>> shift));
        }
        while (Integer.compareUnsigned(range, TOP) < 0) {
            range <<= 8;
            out.shiftLow();
        }
    }

    /** Flushes the 5 final bytes and returns the whole stream; the encoder must not be used afterwards. */
    byte[] finish() {
        return out.finish();
    }
}
