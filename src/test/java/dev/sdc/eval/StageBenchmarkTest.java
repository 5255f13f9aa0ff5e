package dev.sdc.eval;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageBenchmarkTest {
    @Test
    void runsEveryStageWarmupPlusRepeatsTimesAndPrintsOneLinePerStage() {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, double[]> t = StageBenchmark.run(() -> List.of(
                new StageBenchmark.Stage("vae-encode", a::incrementAndGet),
                new StageBenchmark.Stage("palette", b::incrementAndGet)), 2, 3,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(5, a.get());
        assertEquals(5, b.get());
        assertEquals(List.of("vae-encode", "palette"), List.copyOf(t.keySet()));
        assertEquals(3, t.get("palette").length);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("vae-encode") && text.contains("palette") && text.contains("total"), text);
    }
}
