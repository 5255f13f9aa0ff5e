package dev.sdc.bitstream;

import java.util.Arrays;

/**
 * LZMA-style binary range encoder (docs/FORMAT.md, "Index coder"): 32-bit range, 33-bit low with carry
 * propagation through a cached byte and a count of pending 0xFF bytes.
 */
final class RangeEncoder {
    private static final int TOP = 1 << 24;

    private long low;
    private int range = 0xFFFFFFFF;
    private int cache;
    private long cacheSize = 1;
    private byte[] out = new byte[256];
    private int size;

    /** Codes {@code bit} with the adaptive probability {@code probs[i]} and adapts it. */
    void encodeBit(short[] probs, int i, int bit, int shift) {
        int p = probs[i];
        int bound = (range >>> BitModel.PROB_BITS) * p;
        if (bit == 0) {
            range = bound;
            probs[i] = (short) (p + ((BitModel.ONE - p) >>> shift));
        } else {
            low += bound & 0xFFFFFFFFL;
            range -= bound;
            probs[i] = (short) (p - (p >>> shift));
        }
        while (Integer.compareUnsigned(range, TOP) < 0) {
            range <<= 8;
            shiftLow();
        }
    }

    private void shiftLow() {
        if (low < 0xFF000000L || low >= (1L << 32)) {
            int carry = (int) (low >>> 32);
            int b = cache;
            do {
                put(b + carry);
                b = 0xFF;
            } while (--cacheSize != 0);
            cache = (int) ((low >>> 24) & 0xFF);
        }
        cacheSize++;
        low = (low & 0x00FFFFFFL) << 8;
    }

    private void put(int b) {
        if (size == out.length) {
            out = Arrays.copyOf(out, out.length * 2);
        }
        out[size++] = (byte) b;
    }

    /** Flushes the 5 final bytes and returns the whole stream; the encoder must not be used afterwards. */
    byte[] finish() {
        for (int i = 0; i < 5; i++) {
            shiftLow();
        }
        return Arrays.copyOf(out, size);
    }
}
