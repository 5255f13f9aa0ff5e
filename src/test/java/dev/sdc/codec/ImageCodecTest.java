package dev.sdc.codec;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.model.MemoryBudget;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** The bytes-and-streams API an engine calls: same bytes as the file path, checks, shared model. */
class ImageCodecTest {
    private static final Path TEST_BUNDLE = Path.of("testdata/bundles/test");
    private static final Path IMAGE = Path.of("testdata/images/shapes-200x120.png");
    private static final MemoryBudget BUDGET = MemoryBudget.ofMegabytes(MemoryBudget.DEFAULT_MB);

    @Test
    void encodesBytesAndStreamsLikeTheFileApi() throws Exception {
        ImageCodec sdc = ImageCodec.shared(TEST_BUNDLE, BUDGET);
        byte[] png = Files.readAllBytes(IMAGE);
        EncodeOptions options = new EncodeOptions(16, true);
        byte[] fromBytes = sdc.encode(png, IMAGE.toString(), options);
        byte[] fromStream = sdc.encode(new ByteArrayInputStream(png), IMAGE.toString(), options);
        byte[] fromFile = sdc.codec().encode(ImageFiles.read(IMAGE), options);
        assertArrayEquals(fromFile, fromBytes);
        assertArrayEquals(fromFile, fromStream);

        SdcSummary summary = SdcSummary.of(fromBytes);
        assertEquals(200, summary.width());
        assertEquals(120, summary.height());
        assertEquals(fromBytes.length, summary.bytes());
        assertEquals("palette", summary.mode());
        assertTrue(summary.colors() >= 1 && summary.colors() <= 16, "colours " + summary.colors());
        assertEquals(sdc.fingerprint(), summary.fingerprint());
        assertEquals(fromBytes.length * 8.0 / (200 * 120), summary.bpp(), 1e-12);
        assertTrue(sdc.isValidOutput(fromBytes));
    }

    @Test
    void decodesToPixelsAndToImageFiles() {
        ImageCodec sdc = ImageCodec.shared(TEST_BUNDLE, BUDGET);
        byte[] file = sdc.codec().encode(ImageFiles.read(IMAGE), new EncodeOptions(16, true));
        RgbImage pixels = sdc.decode(file, DecodeOptions.defaults());
        RgbImage fromStream = sdc.decode(new ByteArrayInputStream(file), "x.sdc", DecodeOptions.defaults());
        assertArrayEquals(pixels.rgb(), fromStream.rgb());
        RgbImage png = ImageFiles.decode(sdc.decodeTo(file, "png", DecodeOptions.defaults()), "png");
        assertArrayEquals(pixels.rgb(), png.rgb(), "PNG is lossless");
        RgbImage jpeg = ImageFiles.decode(sdc.decodeTo(file, "jpg", DecodeOptions.defaults()), "jpeg");
        assertEquals(200, jpeg.width());
        assertEquals(120, jpeg.height());
    }

    /** Arguments the library cannot honour fail at once, with the input's name, before any network runs. */
    @Test
    void badArgumentsFailBeforeAnyWork() {
        ImageCodec sdc = ImageCodec.shared(TEST_BUNDLE, BUDGET);
        byte[] file = sdc.codec().encode(ImageFiles.read(IMAGE), new EncodeOptions(16, true));
        for (Float bad : new Float[] {Float.NaN, -1f, 2f, Float.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new DecodeOptions(bad, null, true), "strength " + bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new DecodeOptions(null, -5, true));
        assertThrows(IllegalArgumentException.class, () -> new DecodeOptions(null, 5000, true));
        SdcException gif = assertThrows(SdcException.class, () -> sdc.decodeTo(file, "gif", DecodeOptions.defaults()));
        assertEquals(ExitCode.USAGE, gif.exitCode());
        assertEquals(200, ImageFiles.decode(sdc.decodeTo(file, "PNG", DecodeOptions.defaults()), "png").width());
        SdcException wide = assertThrows(SdcException.class,
                () -> sdc.codec().encode(RgbImage.blank(65_537, 8), EncodeOptions.defaults()));
        assertFalse(wide instanceof dev.sdc.bitstream.FormatException, "a bad argument, not a bad .sdc stream");
        assertEquals(ExitCode.BAD_INPUT, wide.exitCode());
        assertTrue(wide.getMessage().contains("65537x8 is outside what sdc encodes"), wide.getMessage());
        SdcException garbage = assertThrows(SdcException.class,
                () -> sdc.decode(new ByteArrayInputStream(new byte[] {1, 2, 3}), "in.sdc", DecodeOptions.defaults()));
        assertTrue(garbage.getMessage().startsWith("in.sdc: corrupt file: "), garbage.getMessage());
        assertFalse(sdc.isValidOutput(null));
    }

    @Test
    void sharedInstancesShareOneLoadedModel() {
        assertSame(ImageCodec.shared(TEST_BUNDLE, BUDGET).codec(), ImageCodec.shared(TEST_BUNDLE, BUDGET).codec());
    }

    @Test
    void badInputIsAOneLineBadInputError() {
        ImageCodec sdc = ImageCodec.shared(TEST_BUNDLE, BUDGET);
        SdcException e = assertThrows(SdcException.class,
                () -> sdc.encode(new byte[] {1, 2, 3}, "junk.png", EncodeOptions.defaults()));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("junk.png"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        byte[] file = sdc.codec().encode(ImageFiles.read(IMAGE), new EncodeOptions(8, false));
        byte[] truncated = Arrays.copyOf(file, file.length - 1);
        assertFalse(sdc.isValidOutput(truncated));
        assertFalse(sdc.isValidOutput(new byte[0]));
        SdcException d = assertThrows(SdcException.class, () -> sdc.decode(truncated, DecodeOptions.defaults()));
        assertEquals(ExitCode.BAD_INPUT, d.exitCode());
    }

    /** From a review of the API: format spelling, warnings, stream limits and names in messages. */
    @Test
    void theApisEdges() throws Exception {
        ImageCodec sdc = ImageCodec.shared(TEST_BUNDLE, BUDGET);
        byte[] jpeg = dev.sdc.metadata.CameraStylePhoto.jpeg(192, 128, 2_000);
        byte[] file = sdc.encode(jpeg, "cam.jpg", EncodeOptions.defaults());
        for (String[] spellings : new String[][] {{"png", "PNG"}, {"jpg", "JPG", "Jpeg"}, {"tif", "TIFF"}}) {
            byte[] lower = sdc.decodeTo(file, spellings[0], DecodeOptions.defaults());
            for (String other : spellings) { // "PNG" wrote no metadata: the writer switched on the raw string
                assertArrayEquals(lower, sdc.decodeTo(file, other, DecodeOptions.defaults()), other);
            }
        }
        java.util.List<String> warnings = new java.util.ArrayList<>();
        sdc.encode(Files.readAllBytes(Path.of("testdata/input/magenta-transparent.png")), "m.png",
                EncodeOptions.defaults(), dev.sdc.metadata.MetadataPolicy.DEFAULT, warnings::add);
        assertEquals(java.util.List.of("m.png: alpha composited onto #ffffff"), warnings, "sdc encode's warning");
        // --background and --max-pixels, as sdc encode has them: the same model, another way of reading
        ImageCodec black = sdc.withReadOptions(new dev.sdc.image.ReadOptions(0x000000, dev.sdc.image.ReadOptions.DEFAULT_MAX_PIXELS));
        assertSame(sdc.codec(), black.codec());
        assertEquals(dev.sdc.image.ReadOptions.DEFAULTS, sdc.readOptions(), "the original is unchanged");
        warnings.clear();
        byte[] onBlack = black.encode(Files.readAllBytes(Path.of("testdata/input/magenta-transparent.png")), "m.png",
                EncodeOptions.defaults(), dev.sdc.metadata.MetadataPolicy.DEFAULT, warnings::add);
        assertEquals(java.util.List.of("m.png: alpha composited onto #000000"), warnings);
        assertFalse(Arrays.equals(onBlack, sdc.encode(Files.readAllBytes(Path.of("testdata/input/magenta-transparent.png")),
                "m.png", EncodeOptions.defaults())), "another background, another picture");
        ImageCodec tight = sdc.withReadOptions(new dev.sdc.image.ReadOptions(0xFFFFFF, 1000));
        SdcException tooBig = assertThrows(SdcException.class, () -> tight.encode(jpeg, "cam.jpg", EncodeOptions.defaults()));
        assertEquals(ExitCode.BAD_INPUT, tooBig.exitCode());
        assertTrue(tooBig.getMessage().contains("more than --max-pixels 1000"), tooBig.getMessage());
        assertThrows(NullPointerException.class, () -> sdc.withReadOptions(null));
        SdcException big = assertThrows(SdcException.class, () -> dev.sdc.io.InputFiles.readAll(
                new java.io.ByteArrayInputStream(new byte[1001]), "endless", 1000));
        assertEquals(ExitCode.BAD_INPUT, big.exitCode());
        assertEquals("endless: larger than 1000 bytes", big.getMessage());
        byte[] small = sdc.codec().encode(ImageFiles.read(IMAGE), new EncodeOptions(8, false));
        SdcException limit = assertThrows(SdcException.class, () -> sdc.decode(new java.io.ByteArrayInputStream(small),
                "s.sdc", DecodeOptions.defaults().withMaxPixels(100)));
        assertTrue(limit.getMessage().startsWith("s.sdc: 200x120 = 24000 pixels is more than"), limit.getMessage());
        assertThrows(NullPointerException.class, () -> new ImageCodec(null));
        // rate control with metadata, as sdc encode --size: the same bytes as the codec's own search
        RateControlled fit = sdc.encode(jpeg, "cam.jpg", RateTarget.bytes(3000), EncodeOptions.defaults(),
                dev.sdc.metadata.MetadataPolicy.DEFAULT, w -> { });
        assertTrue(fit.bytes().length <= 3000, fit.describe());
        assertTrue(dev.sdc.bitstream.SdcReader.read(fit.bytes()).metadata().exif().isPresent(), "the EXIF counted and kept");
        Path dir = Files.createTempDirectory("sdc-api");
        try {
            Path in = Files.write(dir.resolve("cam.jpg"), jpeg);
            Path out = dir.resolve("cam.sdc");
            assertEquals(0, dev.sdc.cli.Main.run(new String[] {"encode", "-q", "--size", "3000", in.toString(),
                    out.toString(), "--model", TEST_BUNDLE.toString()}, new java.io.PrintWriter(java.io.Writer.nullWriter()),
                    new java.io.PrintWriter(java.io.Writer.nullWriter())));
            assertArrayEquals(Files.readAllBytes(out), fit.bytes(), "sdc encode --size 3000 makes the same file");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /** A camera JPEG through the library gives the CLI's bytes: the same metadata kept by the same default. */
    @Test
    void keepsMetadataLikeTheCli(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        byte[] jpeg = dev.sdc.metadata.CameraStylePhoto.jpeg(192, 128, 2_000);
        Path in = dir.resolve("cam.jpg");
        Files.write(in, jpeg);
        Path out = dir.resolve("cam.sdc");
        int code = dev.sdc.cli.Main.run(new String[] {"encode", in.toString(), out.toString(), "--model",
                TEST_BUNDLE.toString(), "-q"}, new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter()));
        assertEquals(0, code);
        ImageCodec sdc = ImageCodec.shared(TEST_BUNDLE, BUDGET);
        byte[] file = sdc.encode(jpeg, "cam.jpg", EncodeOptions.defaults());
        assertArrayEquals(Files.readAllBytes(out), file);
        assertTrue(dev.sdc.bitstream.SdcReader.read(file).metadata().exif().isPresent(), "EXIF kept");
        byte[] back = sdc.decodeTo(file, "jpg", DecodeOptions.defaults());
        assertTrue(dev.sdc.metadata.MetadataExtractor.extract(back, "back.jpg", w -> { }).exif() != null,
                "EXIF written back into the JPEG");
    }
}
