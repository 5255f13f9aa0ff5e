package dev.sdc.codec;

import java.util.Locale;

/**
 * Named bundles of settings. Explicit command-line options override a preset's values.
 */
public enum Preset {
    /**
     * Bühlmann (2022): 256 colours, Floyd–Steinberg, and his denoising. He ran diffusers img2img with 66
     * DDIM steps at strength 0.04, which visits timesteps 16 and 1; sdc's schedule (docs/MODELS.md) gets
     * closest with strength 0.016 and 2 steps (timesteps 16 and 8).
     */
    BUEHLMANN(256, true, 0.016f, 2);

    private final int colors;
    private final boolean dither;
    private final float strength;
    private final int steps;

    Preset(int colors, boolean dither, float strength, int steps) {
        this.colors = colors;
        this.dither = dither;
        this.strength = strength;
        this.steps = steps;
    }

    public int colors() {
        return colors;
    }

    public boolean dither() {
        return dither;
    }

    public float strength() {
        return strength;
    }

    public int steps() {
        return steps;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The preset named {@code id}, case-insensitively.
     *
     * @throws IllegalArgumentException naming the known presets
     */
    public static Preset byId(String id) {
        for (Preset p : values()) {
            if (p.id().equalsIgnoreCase(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + id + "' (known: "
                + java.util.Arrays.stream(values()).map(Preset::id).collect(java.util.stream.Collectors.joining(", "))
                + ")");
    }
}
