package dev.sdc.bitstream;

/**
 * LZMA-style binary range decoder over {@code data[offset, offset+length)}. Reading past the end, a
 * non-zero first byte, or a stream not ending exactly where the encoder's flush ends is a
 * {@link FormatException}; nothing else can be thrown, whatever the bytes.
 */
final class RangeDecoder {
    private static final int TOP = 1 << 24;

    private final RangeCoderInput in;
    private int range = 0xFFFFFFFF;
    private int code;

    RangeDecoder(byte[] data, int offset, int length) {
        in = new RangeCoderInput(data, offset, length, "index");
        for (int i = 0; i < 4; i++) {
            code = (code << 8) | in.next();
        }
    }

    /** Decodes one bit with the adaptive probability {@code probs[i]} and adapts it. */
    int decodeBit(short[] probs, int i, int shift) {
        int p = probs[i];
        int bound = (range >>> BitModel.PROB_BITS) * p;
        int bit;
        if (Integer.compareUnsigned(code, bound) < 0) {
            range = bound;
            probs[i] = (short) (p + ((BitModel.ONE - p) >>> shift));
            bit = 0;
        } else {
            code -= bound;
            range -= bound;
            probs[i] = (short) (p - (p >>> shift));
            bit = 1;
        }
        while (Integer.compareUnsigned(range, TOP) < 0) {
            range <<= 8;
            code = (code << 8) | in.next();
        }
        return bit;
    }

    /** Checks the end condition of docs/FORMAT.md: every byte consumed and the code register at 0. */
    void finish() {
        in.finish(code == 0);
    }
}
