package dev.sdc.bitstream.scalar;

import dev.sdc.bitstream.RangeCoderOutput;

/**
 * Multi-symbol range encoder over integer frequency tables whose total is {@code 2^precision}
 * (docs/SCALAR.md, "Range coder"). Same register layout and carry handling as LZMA's "rc" coder
 * (33-bit low, a cached byte, a count of pending 0xFF bytes; shared with the index coder through
 * {@link RangeCoderOutput}), so the byte stream starts with 0 and ends with a 5-byte flush; only the
 * interval split differs: {@code r = range >>> precision}, the symbol with cumulative frequency
 * {@code [lo, lo + freq)} narrows the interval to {@code [low + r·lo, r·freq)}.
 * Everything is integer arithmetic, so every machine writes the same bytes.
 */
public final class FrequencyRangeEncoder {
    private static final long TOP = 1L << 24;
    private static final long MASK32 = 0xFFFFFFFFL;

    private final int precision;
    private final RangeCoderOutput out = new RangeCoderOutput();
    private long range = MASK32;

    /** @param precision bits of the frequency total, 1 … {@link CdfTable#MAX_PRECISION} */
    public FrequencyRangeEncoder(int precision) {
        if (precision < 1 || precision > CdfTable.MAX_PRECISION) {
            throw new IllegalArgumentException("precision " + precision);
        }
        this.precision = precision;
    }

    /** Codes the symbol occupying {@code [cumLow, cumLow + freq)} of the {@code 2^precision} total. */
    public void encode(int cumLow, int freq) {
        if (freq <= 0 || cumLow < 0 || (long) cumLow + freq > (1L << precision)) {
            throw new IllegalArgumentException("bad interval " + cumLow + "+" + freq);
        }
        long r = range >>> precision;
        out.addToLow(r * cumLow);
        range = r * freq;
        while (range < TOP) {
            range = (range << 8) & MASK32;
            out.shiftLow();
        }
    }

    /** Codes {@code bits} equiprobable bits of {@code value}, most significant first. */
    public void encodeRaw(int value, int bits) {
        int half = 1 << (precision - 1);
        for (int i = bits - 1; i >= 0; i--) {
            encode(((value >>> i) & 1) * half, half);
        }
    }

    /** Flushes the 5 final bytes and returns the whole stream; the encoder must not be used afterwards. */
    public byte[] finish() {
        return out.finish();
    }
}
