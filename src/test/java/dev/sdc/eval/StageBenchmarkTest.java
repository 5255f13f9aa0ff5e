package dev.sdc.eval;

import dev.sdc.codec.BundleCodec;
import dev.sdc.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class StageBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void oneRoundTimesEveryPipelineStage() {
        Path out = dir.resolve("o.png");
        try (BundleCodec codec = new BundleCodec(Bundle.load(Path.of("testdata/bundles/test")))) {
            Map<String, Double> ms = StageBenchmark.oneRound(codec, Path.of("testdata/images/shapes-200x120.png"), out, 64);
            for (String stage : List.of("image-read", "encode/vae-encode", "encode/palette+dither", "encode/entropy-code",
                    "decode/entropy-decode", "decode/unet-denoise", "decode/vae-decode", "image-write")) {
                assertTrue(ms.containsKey(stage), stage + " missing from " + ms.keySet());
                assertTrue(ms.get(stage) >= 0);
            }
            assertTrue(Files.exists(out));
        }
    }

    @Test
    void badNumbersAreUsageErrors() {
        String[] args = {"x.png", "--colors", "lots", "--repeats", "0"};
        assertEquals(dev.sdc.ExitCode.USAGE, assertThrows(dev.sdc.SdcException.class,
                () -> StageBenchmark.intArg(args, "--colors", "256", 1, 256)).exitCode());
        assertEquals(dev.sdc.ExitCode.USAGE, assertThrows(dev.sdc.SdcException.class,
                () -> StageBenchmark.intArg(args, "--repeats", "5", 1, 1000)).exitCode());
        assertEquals(1, StageBenchmark.intArg(args, "--warmup", "1", 0, 1000));
    }

    @Test
    void printsOneLinePerStageAndATotal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StageBenchmark.print(Map.of("a", List.of(1.0, 3.0, 2.0)), 1, new PrintStream(bytes, true));
        String text = bytes.toString();
        assertTrue(text.contains("a "), text);
        assertTrue(text.contains("total"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("a\\s+1\\.0\\s+2\\.0\\s+2\\.0")), text);
    }
}
