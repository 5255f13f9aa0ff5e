package dev.sdc.model;

/**
 * The native memory one network call may use, in bytes. Images larger than that are processed in
 * overlapping tiles ({@link TileGrid}); the JVM's own arrays for the whole image and latent come on top.
 *
 * <p>{@link #BUNDLE_DEFAULT} (bytes 0) stands for "no budget asked for": a runtime replaces it with the
 * bundle's own default ({@link #resolve}), bundle.json's {@code memory.default_budget_mb}, else
 * {@link #DEFAULT_MB}. The fastest budget depends on the networks (a small decoder runs fastest on tiles
 * of a few hundred MB, an SD 1.x decoder needs GBs per megapixel), so the bundle that was measured says.
 */
public record MemoryBudget(long bytes) {
    /** The budget of a bundle that names none. */
    public static final long DEFAULT_MB = 2048;
    public static final String ENV = "SDC_MAX_MEMORY";
    /** 1 PiB: anything above is a typo, not a machine. */
    public static final long MAX_MB = 1L << 30;
    /** No tiling at all. */
    public static final MemoryBudget UNLIMITED = new MemoryBudget(Long.MAX_VALUE);
    /** The bundle's own default, resolved when a runtime opens the bundle. */
    public static final MemoryBudget BUNDLE_DEFAULT = new MemoryBudget(0);

    public MemoryBudget {
        if (bytes < 0) {
            throw new IllegalArgumentException("memory budget must be positive, got " + bytes);
        }
    }

    public static MemoryBudget ofMegabytes(long mb) {
        if (mb < 1 || mb > MAX_MB) {
            throw new IllegalArgumentException("memory budget must be 1.." + MAX_MB + " MB, got " + mb);
        }
        return new MemoryBudget(mb << 20);
    }

    /** True for {@link #BUNDLE_DEFAULT}. */
    public boolean isBundleDefault() {
        return bytes == 0;
    }

    /** This budget, or for {@link #BUNDLE_DEFAULT} the bundle's own ({@link Bundle#defaultBudget()}). */
    public MemoryBudget resolve(Bundle bundle) {
        return isBundleDefault() ? bundle.defaultBudget() : this;
    }

    /**
     * {@code $SDC_MAX_MEMORY} in MB if set, else {@link #BUNDLE_DEFAULT}.
     *
     * @throws dev.sdc.SdcException (usage) if the variable is set but not a positive whole number
     */
    public static MemoryBudget fromEnvironment() {
        return parseMegabytes(System.getenv(ENV), "$" + ENV);
    }

    /** Parses a megabyte count as the user typed it; null or blank means {@link #BUNDLE_DEFAULT}. */
    public static MemoryBudget parseMegabytes(String text, String what) {
        if (text == null || text.isBlank()) {
            return BUNDLE_DEFAULT;
        }
        try {
            long mb = Long.parseLong(text.strip());
            if (mb >= 1 && mb <= MAX_MB) {
                return ofMegabytes(mb);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new dev.sdc.SdcException(dev.sdc.ExitCode.USAGE,
                what + " must be a whole number of megabytes 1.." + MAX_MB + ", got \"" + text + "\"");
    }

    /** Largest tile, in units of whatever {@code bytesPerUnit} counts, that fits this budget. */
    public long maxUnits(long bytesPerUnit) {
        if (isBundleDefault()) {
            throw new IllegalStateException("resolve the bundle's default budget first");
        }
        return Math.max(1, bytes / bytesPerUnit);
    }

    @Override
    public String toString() {
        return isBundleDefault() ? "the bundle's default" : bytes == Long.MAX_VALUE ? "unlimited" : (bytes >> 20) + " MB";
    }
}
