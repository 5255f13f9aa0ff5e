package dev.sdc.io;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;

/** The bound on {@code --jobs}, one for encode, decode and eval. */
public final class Jobs {
    /** Each job holds an image and its network calls at once, so 10000 is a typo, not a plan. */
    public static final int MAX = 256;

    private Jobs() {
    }

    /**
     * The default: one job per core, at most {@link #MAX}, so that a machine with more cores than the bound
     * still runs without {@code --jobs} instead of failing with a usage error nobody asked for.
     */
    public static int perCore() {
        return perCore(Runtime.getRuntime().availableProcessors());
    }

    static int perCore(int cores) {
        return Math.max(1, Math.min(MAX, cores));
    }

    /** {@code jobs} itself, or a usage error naming the option's range. */
    public static int check(int jobs) {
        if (jobs < 1 || jobs > MAX) {
            throw new SdcException(ExitCode.USAGE, "--jobs must be 1.." + MAX + ", got " + jobs);
        }
        return jobs;
    }
}
