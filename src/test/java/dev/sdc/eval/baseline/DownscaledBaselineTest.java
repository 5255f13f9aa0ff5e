package dev.sdc.eval.baseline;

import dev.sdc.eval.metrics.Psnr;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.io.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DownscaledBaselineTest {
    /** A lossless stand-in codec: the file is the PNG it was given; records the sizes it saw. */
    private static final class CopyBaseline implements Baseline {
        final List<String> encodedSizes = new ArrayList<>();

        @Override
        public String name() {
            return "copy";
        }

        @Override
        public int minQuality() {
            return 0;
        }

        @Override
        public int maxQuality() {
            return 9;
        }

        @Override
        public Encoded encode(SourceImage source, int quality, Path workDir) {
            encodedSizes.add(source.image().width() + "x" + source.image().height());
            Path out = workDir.resolve("copy-q" + quality + ".png");
            try {
                AtomicFiles.write(out, Files.readAllBytes(source.png()));
                return new Encoded(out, Files.size(out), quality, "copy " + source.png().getFileName(), 1,
                        source.image().width(), source.image().height());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public RgbImage decode(Encoded encoded, Path workDir) {
            return ImageFiles.read(encoded.file());
        }

        @Override
        public double lastDecodeMillis() {
            return 2;
        }

        @Override
        public String version() {
            return "copy 1";
        }
    }

    private static RgbImage flat(int w, int h) {
        RgbImage img = RgbImage.blank(w, h);
        for (int i = 0; i < img.rgb().length; i++) {
            img.rgb()[i] = (byte) (i % 3 == 0 ? 90 : i % 3 == 1 ? 150 : 210);
        }
        return img;
    }

    @Test
    void innerCodecSeesTheHalfSizeImageAndDecodeReturnsTheOriginalSize(@TempDir Path tmp) {
        CopyBaseline inner = new CopyBaseline();
        DownscaledBaseline half = new DownscaledBaseline(inner, 2);
        assertEquals("copy2x", half.name());
        assertEquals(0, half.minQuality());
        assertEquals(9, half.maxQuality());
        assertTrue(half.version().startsWith("copy 1; at 1/2 size"), half.version());

        RgbImage original = flat(37, 21); // odd sides round up: 19x11
        SourceImage source = SourceImage.write(original, tmp, "original");
        Encoded e = half.encode(source, 4, tmp);
        assertEquals(List.of("19x11"), inner.encodedSizes);
        assertEquals(19, ImageFiles.read(e.file()).width(), "the file holds the small picture");
        assertEquals(e.file().toFile().length(), e.bytes(), "bytes are the inner codec's file");
        assertEquals(37, e.width());
        assertEquals(21, e.height());
        assertEquals(4, e.quality());
        assertTrue(e.command().startsWith("resize lanczos3 37x21 -> 19x11; copy small.png; "), e.command());
        assertTrue(e.command().endsWith("; decode; resize lanczos3 19x11 -> 37x21"), e.command());

        RgbImage decoded = half.decode(e, tmp);
        assertEquals(37, decoded.width());
        assertEquals(21, decoded.height());
        assertArrayEquals(original.rgb(), decoded.rgb(), "a flat image comes back flat");
        assertTrue(half.lastDecodeMillis() >= 2, "inner decode time plus the enlarging");
    }

    @Test
    void realAvifAtHalfSize(@TempDir Path tmp) {
        assumeTrue(ExternalProcess.which("avifenc").isPresent() && ExternalProcess.which("avifdec").isPresent(),
                "avifenc/avifdec not installed");
        List<String> warnings = new ArrayList<>();
        List<Baseline> found = Baselines.find(List.of("avif2x", "avif"), warnings::add);
        assertTrue(warnings.isEmpty(), warnings.toString());
        Baseline avif2x = found.get(0);
        Baseline avif = found.get(1);
        assertEquals("avif2x", avif2x.name());
        assertEquals(avif.minQuality(), avif2x.minQuality());
        assertEquals(avif.maxQuality(), avif2x.maxQuality());
        assertTrue(avif2x.version().startsWith(avif.version()), avif2x.version());

        RgbImage ref = ImageFiles.read(Path.of("testdata/eval/ref.png"));
        SourceImage src = SourceImage.write(ref, tmp, "original");
        Path fullDir = tmp.resolve("full");
        Path halfDir = tmp.resolve("half");
        try {
            Files.createDirectories(fullDir);
            Files.createDirectories(halfDir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Encoded small = avif2x.encode(src, 0, halfDir);
        Encoded full = avif.encode(src, 0, fullDir);
        assertTrue(small.bytes() < full.bytes(), "at its lowest quality avif2x is below AVIF's floor: "
                + small.bytes() + " vs " + full.bytes());
        assertTrue(small.command().contains("avifenc --speed 4 --jobs 1 --yuv 420 --min 63 --max 63 small.png out.avif"),
                small.command());
        RgbImage decoded = avif2x.decode(small, halfDir);
        assertEquals(ref.width(), decoded.width());
        assertEquals(ref.height(), decoded.height());
        assertTrue(Psnr.of(ref, decoded) > 15, "psnr " + Psnr.of(ref, decoded));
        assertTrue(avif2x.lastDecodeMillis() > 0);
    }
}
