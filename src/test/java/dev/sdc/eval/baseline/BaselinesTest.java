package dev.sdc.eval.baseline;

import dev.sdc.SdcException;
import dev.sdc.eval.metrics.Psnr;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BaselinesTest {
    @Test
    void unknownCodecIsAUsageError() {
        assertThrows(SdcException.class, () -> Baselines.find(List.of("bpg"), s -> { }));
    }

    @Test
    void noneSelectsNoBaseline() {
        assertTrue(Baselines.find(List.of("none"), s -> { }).isEmpty());
    }

    @Test
    void realWebpRoundTripAtMatchedBytes(@TempDir Path tmp) {
        assumeTrue(ExternalProcess.which("cwebp").isPresent() && ExternalProcess.which("dwebp").isPresent(),
                "cwebp/dwebp not installed");
        List<String> warnings = new ArrayList<>();
        Baseline webp = Baselines.find(List.of("webp"), warnings::add).get(0);
        assertTrue(warnings.isEmpty());
        RgbImage ref = ImageFiles.read(Path.of("testdata/eval/ref.png"));
        SourceImage src = SourceImage.write(ref, tmp, "original");
        long target = webp.encode(src, 50, tmp).bytes() - 1;
        ByteMatcher.Match<Encoded> m = ByteMatcher.lowestQualityAtLeast(target, webp.minQuality(), webp.maxQuality(),
                q -> webp.encode(src, q, tmp), Encoded::bytes);
        assertTrue(m.result().bytes() >= target);
        assertTrue(m.quality() <= 50);
        assertTrue(m.result().command().startsWith("cwebp -quiet -q " + m.quality() + " original.png"));
        RgbImage decoded = webp.decode(m.result(), tmp);
        assertEquals(ref.width(), decoded.width());
        assertTrue(Psnr.of(ref, decoded) > 20);
    }

    @Test
    void ppmHeaderAndPayload() {
        RgbImage img = RgbImage.blank(2, 1);
        img.set(1, 0, 2, 200);
        byte[] ppm = SourceImage.toPpm(img);
        assertEquals("P6\n2 1\n255\n", new String(ppm, 0, 11, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals((byte) 200, ppm[11 + 5]);
    }
}
