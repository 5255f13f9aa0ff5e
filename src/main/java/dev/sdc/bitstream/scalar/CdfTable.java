package dev.sdc.bitstream.scalar;

import java.util.Arrays;

/**
 * One integer probability table of the scalar mode (docs/SCALAR.md, "CDF tables"): {@code n} in-range
 * symbols for the latent values {@code offset … offset + n − 1}, then one escape symbol for every value
 * outside that range. Frequencies are integers ≥ 1 summing to exactly {@code 2^precision}, so every
 * value stays codable and the coder's arithmetic never divides by a float.
 */
public final class CdfTable {
    /** Largest frequency precision: keeps {@code range >>> precision ≥ 2^8} for the 32-bit coder. */
    public static final int MAX_PRECISION = 16;
    /** Largest number of in-range symbols of one table. */
    public static final int MAX_SYMBOLS = 4095;
    /** Largest |offset|, the value of symbol 0 ({@link ScalarLatentCoder#MAX_ABS}). */
    public static final int MAX_OFFSET = ScalarLatentCoder.MAX_ABS;

    private final int offset;
    private final int precision;
    private final int[] cum; // cum[s] = sum of freq[0 … s−1]; length n + 2; cum[n + 1] = 2^precision

    private CdfTable(int offset, int precision, int[] cum) {
        this.offset = offset;
        this.precision = precision;
        this.cum = cum;
    }

    /**
     * Builds a table from {@code freqs} (n in-range symbols, then the escape symbol).
     *
     * @throws IllegalArgumentException naming the violated rule; {@link PriorTables} turns it into a
     *     bundle error
     */
    public static CdfTable of(int offset, int[] freqs, int precision) {
        if (precision < 1 || precision > MAX_PRECISION) {
            throw new IllegalArgumentException("precision " + precision + " outside 1 … " + MAX_PRECISION);
        }
        int n = freqs.length - 1;
        if (n < 1 || n > MAX_SYMBOLS) {
            throw new IllegalArgumentException("symbol count " + n + " outside 1 … " + MAX_SYMBOLS);
        }
        if (offset < -MAX_OFFSET || (long) offset + n - 1 > MAX_OFFSET) {
            throw new IllegalArgumentException("value range " + offset + " … " + ((long) offset + n - 1)
                    + " outside ±" + MAX_OFFSET);
        }
        int[] cum = new int[n + 2];
        long total = 0;
        for (int s = 0; s <= n; s++) {
            if (freqs[s] < 1) {
                throw new IllegalArgumentException("symbol " + s + " has frequency " + freqs[s] + " (< 1)");
            }
            total += freqs[s];
            if (total > (1L << precision)) {
                break;
            }
            cum[s + 1] = (int) total;
        }
        if (total != (1L << precision)) {
            throw new IllegalArgumentException("frequencies sum to " + (total > (1L << precision)
                    ? "more than" : String.valueOf(total) + ", not") + " 2^" + precision);
        }
        return new CdfTable(offset, precision, cum);
    }

    /** Value of symbol 0. */
    public int offset() {
        return offset;
    }

    /** Number of in-range symbols (the escape symbol is symbol {@code n}). */
    public int symbols() {
        return cum.length - 2;
    }

    public int precision() {
        return precision;
    }

    /** Symbol of {@code value}: its index if in range, else the escape symbol {@link #symbols()}. */
    public int symbolOf(int value) {
        long s = (long) value - offset;
        return s >= 0 && s < symbols() ? (int) s : symbols();
    }

    public int cumLow(int symbol) {
        return cum[symbol];
    }

    public int freq(int symbol) {
        return cum[symbol + 1] - cum[symbol];
    }

    /** The symbol whose interval holds {@code target} (0 ≤ target < 2^precision): a binary search. */
    public int find(int target) {
        int i = Arrays.binarySearch(cum, 0, cum.length, target);
        // exact hit on cum[i] = target: symbol i (frequencies ≥ 1, so cum is strictly increasing)
        return i >= 0 ? i : -i - 2;
    }

    /** Ideal code length of {@code symbol} in bits, {@code precision − log2 freq}. */
    public double bits(int symbol) {
        return precision - Math.log(freq(symbol)) / Math.log(2);
    }
}
