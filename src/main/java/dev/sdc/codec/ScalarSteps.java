package dev.sdc.codec;

import dev.sdc.model.Bundle;

import java.util.Optional;

/** The per-channel steps of a scalar rate, from a bundle's prior alone (no network): for {@code sdc info}. */
public final class ScalarSteps {
    private ScalarSteps() {
    }

    /** E.g. "0.0312 0.029 0.0301 0.0335" (raw latent units); empty for a bundle without a prior or a level it lacks. */
    public static Optional<String> describe(Bundle bundle, ScalarRate rate) {
        return ScalarLatentCodec.of(bundle).filter(c -> rate.level() < c.levels()).map(c -> c.stepsText(rate));
    }

    /** The steps as numbers (raw latent units, binary32 as the decoder uses them); empty as {@link #describe}. */
    public static Optional<float[]> values(Bundle bundle, ScalarRate rate) {
        return ScalarLatentCodec.of(bundle).filter(c -> rate.level() < c.levels()).map(c -> c.steps(rate));
    }
}
