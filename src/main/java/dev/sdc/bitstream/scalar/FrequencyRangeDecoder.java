package dev.sdc.bitstream.scalar;

import dev.sdc.bitstream.FormatException;
import dev.sdc.bitstream.RangeCoderInput;

/**
 * Decoder of {@link FrequencyRangeEncoder} streams over {@code data[offset, offset+length)}. Reading past
 * the end, a non-zero first byte, a code value outside the current interval, or a stream that does not end
 * exactly where the encoder's flush ends is a {@link FormatException}; nothing else can be thrown,
 * whatever the bytes.
 */
public final class FrequencyRangeDecoder {
    private static final long TOP = 1L << 24;
    private static final long MASK32 = 0xFFFFFFFFL;

    private final RangeCoderInput in;
    private final int precision;
    private long range = MASK32;
    private long code;
    private long r;

    public FrequencyRangeDecoder(byte[] data, int offset, int length, int precision) {
        if (precision < 1 || precision > CdfTable.MAX_PRECISION) {
            throw new IllegalArgumentException("precision " + precision);
        }
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("range outside the array");
        }
        this.in = new RangeCoderInput(data, offset, length, "latent");
        this.precision = precision;
        for (int i = 0; i < 4; i++) {
            code = (code << 8) | in.next();
        }
    }

    /**
     * First half of decoding a symbol: the cumulative frequency the code value points at,
     * {@code 0 … 2^precision − 1}. The caller finds the symbol whose interval holds it and calls
     * {@link #consume}.
     */
    public int target() {
        r = range >>> precision;
        long v = code / r;
        if (v >= (1L << precision)) {
            // a valid stream keeps code < r·2^precision: only corrupt bytes get here
            throw new FormatException("latent stream: code outside the interval");
        }
        return (int) v;
    }

    /** Second half: removes the symbol {@code [cumLow, cumLow + freq)} that {@link #target} pointed into. */
    public void consume(int cumLow, int freq) {
        code -= r * cumLow;
        range = r * freq;
        while (range < TOP) {
            range = (range << 8) & MASK32;
            code = ((code << 8) | in.next()) & MASK32;
        }
    }

    /** Decodes {@code bits} equiprobable bits, most significant first. */
    public int decodeRaw(int bits) {
        int half = 1 << (precision - 1);
        int v = 0;
        for (int i = 0; i < bits; i++) {
            int bit = target() >= half ? 1 : 0;
            consume(bit * half, half);
            v = (v << 1) | bit;
        }
        return v;
    }

    /** Checks the end condition: every byte consumed and the code register at 0. */
    public void finish() {
        in.finish(code == 0);
    }
}
