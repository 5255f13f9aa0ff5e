package dev.sdc.bitstream.scalar;

import java.util.Arrays;

/**
 * The probability model of one rate level (docs/SCALAR.md, "Context"): per channel, K {@link CdfTable}s,
 * one chosen per latent by the already-decoded left and top neighbours of the same channel. The context
 * is a pure integer function of decoded integers, so encoder and decoder pick the same table on every
 * machine.
 */
public final class ContextModel {
    private final int[] thresholds;
    private final CdfTable[][] tables; // [channel][context]
    private final int precision;

    /**
     * @param thresholds K − 1 strictly increasing magnitude thresholds, each 1 … 65,535
     * @param tables {@code [channels][K]} tables, all of one precision
     */
    public ContextModel(int[] thresholds, CdfTable[][] tables) {
        if (tables.length < 1 || tables.length > ScalarLatentCoder.MAX_CHANNELS) {
            throw new IllegalArgumentException("channels " + tables.length);
        }
        int k = thresholds.length + 1;
        if (k > ScalarLatentCoder.MAX_CONTEXTS) {
            throw new IllegalArgumentException("contexts " + k + " > " + ScalarLatentCoder.MAX_CONTEXTS);
        }
        for (int i = 0; i < thresholds.length; i++) {
            if (thresholds[i] < 1 || thresholds[i] > 0xFFFF || (i > 0 && thresholds[i] <= thresholds[i - 1])) {
                throw new IllegalArgumentException("thresholds must increase strictly within 1 … 65535: "
                        + Arrays.toString(thresholds));
            }
        }
        this.precision = tables[0][0].precision();
        for (CdfTable[] row : tables) {
            if (row.length != k) {
                throw new IllegalArgumentException("each channel needs " + k + " tables");
            }
            for (CdfTable t : row) {
                if (t.precision() != precision) {
                    throw new IllegalArgumentException("tables of different precision");
                }
            }
        }
        this.thresholds = thresholds.clone();
        this.tables = new CdfTable[tables.length][];
        for (int c = 0; c < tables.length; c++) {
            this.tables[c] = tables[c].clone();
        }
    }

    public int channels() {
        return tables.length;
    }

    public int contexts() {
        return thresholds.length + 1;
    }

    public int precision() {
        return precision;
    }

    public int[] thresholds() {
        return thresholds.clone();
    }

    public CdfTable table(int channel, int context) {
        return tables[channel][context];
    }

    /** Context of a latent whose left and top neighbours have |L| + |T| = {@code magnitude}. */
    public int context(int magnitude) {
        int k = 0;
        while (k < thresholds.length && magnitude >= thresholds[k]) {
            k++;
        }
        return k;
    }
}
