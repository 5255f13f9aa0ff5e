package dev.sdc.model;

/**
 * The native memory one network call may use, in bytes. Images larger than that are processed in
 * overlapping tiles ({@link TileGrid}); the JVM's own arrays for the whole image and latent come on top.
 */
public record MemoryBudget(long bytes) {
    public static final long DEFAULT_MB = 2048;
    public static final String ENV = "SDC_MAX_MEMORY";
    /** 1 PiB: anything above is a typo, not a machine. */
    public static final long MAX_MB = 1L << 30;
    /** No tiling at all. */
    public static final MemoryBudget UNLIMITED = new MemoryBudget(Long.MAX_VALUE);

    public MemoryBudget {
        if (bytes < 1) {
            throw new IllegalArgumentException("memory budget must be positive, got " + bytes);
        }
    }

    public static MemoryBudget ofMegabytes(long mb) {
        if (mb < 1 || mb > MAX_MB) {
            throw new IllegalArgumentException("memory budget must be 1.." + MAX_MB + " MB, got " + mb);
        }
        return new MemoryBudget(mb << 20);
    }

    /**
     * {@code $SDC_MAX_MEMORY} in MB if set, else {@link #DEFAULT_MB}.
     *
     * @throws dev.sdc.SdcException (usage) if the variable is set but not a positive whole number
     */
    public static MemoryBudget fromEnvironment() {
        return parseMegabytes(System.getenv(ENV), ENV);
    }

    /** Parses a megabyte count as the user typed it; null or blank means the default. */
    public static MemoryBudget parseMegabytes(String text, String what) {
        if (text == null || text.isBlank()) {
            return ofMegabytes(DEFAULT_MB);
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
        return Math.max(1, bytes / bytesPerUnit);
    }
}
