package dev.sdc.eval;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AggregateTest {
    private static EvalResult row(String image, String codec, String setting) {
        return new EvalResult(image, codec, setting, 100, 0.1, 30, 0.9, 0.95, 5, 0.5, 1, 1, -1, -1, "", "");
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

    /**
     * A scalar target the first image cannot reach is first seen after the larger ones; the table and the
     * curves still ascend by value within a codec (first-seen order once put bpp=0.025 below bpp=0.1).
     */
    @Test
    void settingsOfOneKindAscendByValue() {
        List<EvalResult> results = List.of(row("a", "sdc", "colors=256"), row("a", "sdc", "colors=16"),
                row("a", "sdc-scalar", "bpp=0.1"), row("a", "sdc-scalar", "bpp=0.05"), row("b", "sdc", "colors=256"),
                row("b", "sdc", "colors=16"), row("b", "sdc-scalar", "bpp=0.1"), row("b", "sdc-scalar", "bpp=0.05"),
                row("b", "sdc-scalar", "bpp=0.025"), row("a", "sdc", "colors=4"));
        List<String> order = Aggregate.of(results).stream().map(a -> a.codec() + " " + a.setting()).toList();
        assertEquals(List.of("sdc colors=4", "sdc colors=16", "sdc colors=256", "sdc-scalar bpp=0.025",
                "sdc-scalar bpp=0.05", "sdc-scalar bpp=0.1"), order);
    }

    @Test
    void aGroupCoversTheRunOnlyWithARowForEveryImage() {
        List<EvalResult> results = List.of(row("a", "sdc-scalar", "bpp=0.05"), row("b", "sdc-scalar", "bpp=0.05"),
                row("b", "sdc-scalar", "bpp=0.025"), row("b", "avif", "bpp=0.025"));
        Set<String> images = Aggregate.images(results);
        assertEquals(Set.of("a", "b"), images);
        List<Aggregate> groups = Aggregate.of(results);
        assertTrue(groups.get(1).covers(images), groups.get(1).setting());
        assertFalse(groups.get(0).covers(images), groups.get(0).setting());
        assertFalse(groups.get(2).covers(images), groups.get(2).codec());
    }

    /** A point over fewer images would bend the curve for that reason alone: it is left out, and named. */
    @Test
    void curvesLeaveOutPointsThatMissImages() {
        List<EvalResult> results = List.of(row("a", "sdc-scalar", "bpp=0.05"), row("b", "sdc-scalar", "bpp=0.05"),
                row("b", "sdc-scalar", "bpp=0.025"), row("b", "avif", "bpp=0.025"), row("a", "avif", "bpp=0.05"),
                row("b", "avif", "bpp=0.05"), row("a", "sdc-autoencoder", "unquantized"),
                row("b", "sdc-autoencoder", "unquantized"));
        RdPlots.Curves c = RdPlots.curves(results, EvalResult::psnr);
        assertEquals(List.of("sdc-scalar", "avif"), List.copyOf(c.series().keySet()));
        assertEquals(1, c.series().get("sdc-scalar").getItemCount());
        assertEquals(1, c.series().get("avif").getItemCount());
        assertEquals(List.of("sdc-scalar bpp=0.025 (1/2)", "avif bpp=0.025 (1/2)"), c.leftOut());
    }

    @Test
    void summarySaysWhichMeansAreOverFewerImages(@TempDir Path tmp) throws IOException {
        List<EvalResult> results = List.of(row("a", "sdc-scalar", "bpp=0.05"), row("b", "sdc-scalar", "bpp=0.05"),
                row("b", "sdc-scalar", "bpp=0.025"));
        Path md = tmp.resolve("summary.md");
        SummaryReport.write(results, "sdc eval", List.of("test"), List.of(), md);
        String text = Files.readString(md);
        assertTrue(text.contains("| sdc-scalar | bpp=0.025 | 1 |"), text);
        assertTrue(text.contains("1 row has n below 2"), text);
        SummaryReport.write(results.subList(0, 2), "sdc eval", List.of("test"), List.of(), md);
        assertFalse(Files.readString(md).contains("n below"));
    }
}
