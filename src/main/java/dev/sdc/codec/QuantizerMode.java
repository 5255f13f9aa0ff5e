package dev.sdc.codec;

import java.util.Locale;

/** The quantizer modes of docs/FORMAT.md, by the value of the header's {@code mode} field. */
public enum QuantizerMode {
    /** Mode 0: Bühlmann's latent palette with Floyd–Steinberg dithering. */
    PALETTE(0, "palette+dither"),
    /** Mode 1: per-channel uniform steps, entropy-coded with the bundle's learned prior. */
    SCALAR(1, "scalar-quantize");

    private final int id;
    private final String stage;

    QuantizerMode(int id, String stage) {
        this.id = id;
        this.stage = stage;
    }

    /** The name of the quantisation stage in {@link StageTimings}. */
    public String stage() {
        return stage;
    }

    /** The header's mode value. */
    public int id() {
        return id;
    }

    /** The CLI name: {@code palette}, {@code scalar}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code bundle} can code this mode: the palette always, the scalar mode with a prior (prior.bin). */
    public boolean supportedBy(dev.sdc.model.Bundle bundle) {
        return this == PALETTE || bundle.scalarPriorFile().isPresent();
    }

    /**
     * The one-line reason the bundle named {@code bundleName} cannot code this mode, and how to load one that can
     * ({@code hint}: how this caller names a bundle, e.g. {@code --model DIR}). The CLI, eval and the Spark jobs
     * all say it in these words.
     */
    public String unsupportedBy(String bundleName, String hint) {
        return "the " + cliName() + " mode: bundle '" + bundleName + "' has no " + cliName() + " prior (quantizer mode "
                + id + "); load a bundle that has one, e.g. models/tiny-scalar of the source tree (" + hint
                + "; docs/SCALAR.md)";
    }

    /** The mode whose header value is {@code id}, or null if there is none. */
    public static QuantizerMode of(int id) {
        for (QuantizerMode m : values()) {
            if (m.id == id) {
                return m;
            }
        }
        return null;
    }
}
