package dev.sdc.bitstream;

import java.util.Arrays;

/**
 * The byte side shared by the range encoders ({@link RangeEncoder} for the index coder,
 * {@code scalar.FrequencyRangeEncoder} for the scalar latent coder): LZMA's "rc" layout of a 33-bit
 * {@code low} register with carry propagation through a cached byte and a count of pending 0xFF bytes.
 * The encoders own {@code range} and the interval split; they add to {@code low} and call
 * {@link #shiftLow} once per byte the range is renormalised by. The stream starts with 0 and ends with a
 * 5-byte flush (docs/FORMAT.md, "Index coder"; docs/SCALAR.md, "Range coder").
 */
public final class RangeCoderOutput {
    private long low;
    private int cache;
    private long cacheSize = 1;
    private byte[] out = new byte[256];
    private int size;

    /** Adds {@code amount} (below 2^32) to the low end of the interval; a carry is resolved later. */
    public void addToLow(long amount) {
        low += amount;
    }

    /** Moves the top byte of {@code low} out (or holds it back while a carry may still reach it). */
    public void shiftLow() {
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

    /** Flushes the 5 final bytes and returns the whole stream; the output must not be used afterwards. */
    public byte[] finish() {
        for (int i = 0; i < 5; i++) {
            shiftLow();
        }
        return Arrays.copyOf(out, size);
    }
}
