package dev.sdc.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AggregateTest {
    private static EvalResult row(String image, String codec, String setting) {
        return new EvalResult(image, codec, setting, 100, 0.1, 30, 0.9, 0.95, 5, 1, 1, -1, -1, "", "");
    }

    /** sdc-scalar rows are computed after the baselines' but lead the table with the palette rows. */
    @Test
    void sdcRowsLeadThenBaselinesInTheOrderTheyCame() {
        List<EvalResult> results = List.of(row("a", "sdc", "colors=16"), row("a", "avif", "colors=16"),
                row("a", "jpeg", "colors=16"), row("b", "sdc", "colors=16"), row("a", "sdc-scalar", "bpp=0.05"),
                row("a", "avif", "bpp=0.05"));
        List<String> order = Aggregate.of(results).stream().map(a -> a.codec() + " " + a.setting()).toList();
        assertEquals(List.of("sdc colors=16", "sdc-scalar bpp=0.05", "avif colors=16", "avif bpp=0.05",
                "jpeg colors=16"), order);
        assertEquals(2, Aggregate.of(results).get(0).rows().size());
    }
}
