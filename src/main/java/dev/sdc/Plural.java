package dev.sdc;

/** Counts in messages: "1 trial", "9 trials". One place, so no message says "1 steps" or "2 colour". */
public final class Plural {
    private Plural() {
    }

    /** {@code n} and {@code noun}, with an "s" unless {@code n} is 1; for nouns whose plural adds "s". */
    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
