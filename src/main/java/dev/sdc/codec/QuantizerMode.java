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
