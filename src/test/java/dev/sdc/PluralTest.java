package dev.sdc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PluralTest {
    @Test
    void oneIsSingularEverythingElsePlural() {
        assertEquals("1 trial", Plural.count(1, "trial"));
        assertEquals("0 trials", Plural.count(0, "trial"));
        assertEquals("9 colours", Plural.count(9, "colour"));
        assertEquals("-1 steps", Plural.count(-1, "step"));
    }
}
