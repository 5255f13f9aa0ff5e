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
            StageBenchmark.Round round = StageBenchmark.oneRound(codec, Path.of("testdata/images/shapes-200x120.png"), out, 64);
            Map<String, Double> ms = round.millis();
            dev.sdc.bitstream.SdcHeader h = dev.sdc.bitstream.SdcReader.read(codec.encode(dev.sdc.image.ImageFiles.read(
                    Path.of("testdata/images/shapes-200x120.png")), new dev.sdc.codec.EncodeOptions(64, true))).header();
            assertEquals(codec.bundle().schedule().timesteps(h.strength(), h.steps()).length, round.unetCalls(),
                    "the decode calls the UNet once per timestep the sampler visits");
            assertEquals(h.steps(), round.unetCalls(), "here every step of the file is its own timestep");
            assertTrue(round.unetCalls() > 0);
            for (String stage : List.of("image-read", "encode/vae-encode", "encode/palette+dither", "encode/entropy-code",
                    "decode/entropy-decode", "decode/unet-denoise", "decode/vae-decode", "image-write")) {
                assertTrue(ms.containsKey(stage), stage + " missing from " + ms.keySet());
                assertTrue(ms.get(stage) >= 0);
            }
            assertTrue(Files.exists(out));
        }
    }

    /** Bad arguments are one line and exit 2 (a typo such as --repeat no longer runs with the defaults). */
    @Test
    void badArgumentsAreUsageErrors() {
        for (String[] args : List.of(new String[] {"x.png", "--colors", "lots"}, new String[] {"x.png", "--repeats", "0"},
                new String[] {"x.png", "--repeat", "1"}, new String[] {"x.png", "--repeats"}, new String[] {})) {
            assertEquals(2, StageBenchmark.execute(args), String.join(" ", args));
        }
        assertEquals(0, StageBenchmark.execute("--help"));
        assertEquals(3, StageBenchmark.execute(dir.resolve("missing.png").toString(), "--model", "testdata/bundles/test"));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, StageBenchmark.median(new double[] {1, 2, 3, 10}));
        assertEquals(2.0, StageBenchmark.median(new double[] {1, 2, 10}));
        assertEquals(4.0, StageBenchmark.median(new double[] {4}));
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
