package dev.sdc.bitstream;

import java.util.Arrays;

/** Constants and allocation of the coder's 11-bit adaptive probabilities (probability of a 0 bit). */
final class BitModel {
    static final int PROB_BITS = 11;
    static final int ONE = 1 << PROB_BITS;
    /** Adaptation shift of docs/FORMAT.md (chosen by measurement; LZMA uses 5). */
    static final int SHIFT = 4;

    private BitModel() {
    }

    /** {@code count} probabilities, all at one half. */
    static short[] newProbs(int count) {
        short[] probs = new short[count];
        Arrays.fill(probs, (short) (ONE / 2));
        return probs;
    }
}
