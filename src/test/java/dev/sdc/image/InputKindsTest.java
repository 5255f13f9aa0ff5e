package dev.sdc.image;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every kind of input in testdata/input (made by scripts/make-input-testdata.py), checked by pixel values.
 * Expected values come from the raw samples as ImageIO decodes them (no colour conversion), or from the
 * LittleCMS reference conversions the script wrote.
 */
class InputKindsTest {
    static final Path DIR = Path.of("testdata/input");

    private static DecodedImage read(String name) {
        return ImageFiles.read(DIR.resolve(name), ReadOptions.DEFAULTS);
    }

    /** Band 0 of the file as the plain ImageIO reader decodes it, before any colour conversion. */
    private static Raster raw(String name) throws IOException {
        return ImageIO.read(DIR.resolve(name).toFile()).getRaster();
    }

    @ParameterizedTest
    @ValueSource(strings = {"grey8.png", "grey16.png", "grey8-alpha.png", "grey16-alpha.png",
            "grey8.tif", "grey16.tif", "grey8.jpg"})
    void greyStaysGreyAtTheSameBrightness(String name) throws IOException {
        Raster raw = raw(name);
        long max = (1L << raw.getSampleModel().getSampleSize(0)) - 1;
        DecodedImage d = read(name);
        RgbImage img = d.image();
        assertEquals(raw.getWidth(), img.width());
        double rawMean = 0;
        double outMean = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int v = raw.getSample(x, y, 0);
                int expected = (int) Math.round(v * 255.0 / max);
                assertEquals(expected, img.get(x, y, 0), name + " at " + x + "," + y + " raw " + v);
                assertEquals(expected, img.get(x, y, 1), name);
                assertEquals(expected, img.get(x, y, 2), name);
                rawMean += v * 255.0 / max;
                outMean += img.get(x, y, 0);
            }
        }
        assertEquals(rawMean, outMean, 0.5 * img.width() * img.height(), name + ": brightness changed");
        assertEquals(List.of(), d.warnings(), name + " is opaque");
    }

    /** cwebp users' input: a lossless WebP reads to exactly the PNG's pixels. */
    @Test
    void losslessWebpReadsToThePngsPixels() {
        DecodedImage webp = read("upright.webp");
        assertArrayEquals(read("upright.png").image().rgb(), webp.image().rgb());
        assertEquals(List.of(), webp.warnings());
    }

    @Test
    void greyMatchesTheSameGreySavedAsRgb() {
        assertArrayEquals(read("rgb.png").image().rgb(), read("grey8.png").image().rgb());
    }

    @Test
    void sixteenBitSamplesAreRoundedNotTruncated() throws IOException {
        Raster raw = raw("rgb16.png");
        RgbImage img = read("rgb16.png").image();
        int roundedUp = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    int v = raw.getSample(x, y, c);
                    assertEquals(Math.round(v / 257.0), img.get(x, y, c), "at " + x + "," + y + "," + c + " v16 " + v);
                    if (Math.round(v / 257.0) != v / 257) {
                        roundedUp++;
                    }
                }
            }
        }
        assertTrue(roundedUp > 1000, "the test image must have samples where truncation differs: " + roundedUp);
    }

    /**
     * Float samples are linear light, clipped to 0..1 and encoded to sRGB (README "Input images"). The file
     * is a ramp from -0.25 to 1.5 along x (the script's linspace); expected values come from that ramp and
     * the sRGB transfer function, within the JDK's 8-bit rounding.
     */
    @Test
    void floatSamplesAreLinearLightClippedAndEncodedToSrgb() throws IOException {
        assertEquals(java.awt.image.DataBuffer.TYPE_FLOAT, raw("grey-float.tif").getTransferType());
        RgbImage img = read("grey-float.tif").image();
        assertEquals(64, img.width());
        for (int x = 0; x < img.width(); x++) {
            double linear = (float) (-0.25 + x * 1.75 / 63);
            double v = Math.max(0, Math.min(1, linear));
            double encoded = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
            for (int y = 0; y < img.height(); y += 47) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(255 * encoded, img.get(x, y, c), 1.0, "x " + x + " linear " + linear);
                }
            }
        }
        assertEquals(0, img.get(0, 0, 0), "below 0 clips to black");
        assertEquals(188, img.get(27, 0, 0), 1, "linear 0.5 is sRGB 188, not 128");
        assertEquals(255, img.get(63, 0, 0), "above 1 clips to white");
    }

    private static final int[][] QUADRANT = {{230, 20, 20}, {20, 200, 20}, {20, 20, 230}, {240, 220, 20}};

    @ParameterizedTest
    @ValueSource(strings = {"orientation-1.jpg", "orientation-2.jpg", "orientation-3.jpg", "orientation-4.jpg",
            "orientation-5.jpg", "orientation-6.jpg", "orientation-7.jpg", "orientation-8.jpg",
            "orientation-6.png", "orientation-6-late.png", "orientation-6.tif", "orientation-6.webp", "upright.png"})
    void exifOrientationComesBackUpright(String name) {
        RgbImage img = read(name).image();
        assertEquals(64, img.width(), name);
        assertEquals(48, img.height(), name);
        int[][] centres = {{16, 12}, {48, 12}, {16, 36}, {48, 36}};
        for (int q = 0; q < 4; q++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(QUADRANT[q][c], img.get(centres[q][0], centres[q][1], c), 12,
                        name + ": quadrant " + q + " channel " + c);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adobe-like.png", "grey-gamma18.png"})
    void embeddedPngProfileIsConvertedToSrgb(String name) throws IOException {
        RgbImage img = read(name).image();
        RgbImage ref = ImageFiles.read(DIR.resolve(name.replace(".png", "-srgb-reference.png")));
        RgbImage unconverted = ImageFiles.fromBufferedImage(ImageIO.read(DIR.resolve(
                name.startsWith("grey") ? "grey8.png" : name).toFile()));
        assertClose(ref, img, 2, 0.6, name);
        // The reference differs from the file's raw values, so matching it means the profile was applied.
        assertTrue(meanAbsDiff(ref, unconverted) > 3, name + ": reference too close to the raw values");
    }

    @ParameterizedTest
    @ValueSource(strings = {"adobe-like.tif", "adobe-like.jpg"})
    void embeddedProfilesInTiffAndJpegAreConvertedToo(String name) {
        RgbImage img = read(name).image();
        // The JPEG's reference starts from its pixels as libjpeg (Pillow) decodes them; decoders differ by a level or two.
        boolean jpeg = name.endsWith("jpg");
        RgbImage ref = ImageFiles.read(DIR.resolve(jpeg ? "adobe-like-jpg-srgb-reference.png" : "adobe-like-srgb-reference.png"));
        assertClose(ref, img, jpeg ? 4 : 2, jpeg ? 1.0 : 0.6, name);
    }

    private static void assertClose(RgbImage ref, RgbImage img, int maxDiff, double maxMean, String name) {
        assertEquals(ref.width(), img.width());
        assertEquals(ref.height(), img.height());
        int worst = 0;
        for (int i = 0; i < ref.rgb().length; i++) {
            worst = Math.max(worst, Math.abs((ref.rgb()[i] & 0xFF) - (img.rgb()[i] & 0xFF)));
        }
        assertTrue(worst <= maxDiff, name + ": largest difference from the LittleCMS reference " + worst);
        assertTrue(meanAbsDiff(ref, img) <= maxMean, name + ": mean difference " + meanAbsDiff(ref, img));
    }

    private static double meanAbsDiff(RgbImage a, RgbImage b) {
        long sum = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            sum += Math.abs((a.rgb()[i] & 0xFF) - (b.rgb()[i] & 0xFF));
        }
        return (double) sum / a.rgb().length;
    }

    @ParameterizedTest
    @ValueSource(strings = {"magenta-transparent.png", "magenta-transparent16.png", "magenta-transparent.webp"})
    void transparentMagentaBecomesTheBackground(String name) {
        DecodedImage white = read(name);
        assertSolid(white.image(), 255, 255, 255, name);
        assertEquals(List.of("alpha composited onto #ffffff"), white.warnings());
        DecodedImage black = ImageFiles.read(DIR.resolve(name), new ReadOptions(0x000000, ReadOptions.DEFAULT_MAX_PIXELS));
        assertSolid(black.image(), 0, 0, 0, name);
        assertEquals(List.of("alpha composited onto #000000"), black.warnings());
    }

    @Test
    void partialAlphaIsBlendedInSrgbValues() {
        RgbImage img = ImageFiles.read(DIR.resolve("magenta-alpha-ramp.png"), new ReadOptions(0x000000, ReadOptions.DEFAULT_MAX_PIXELS)).image();
        for (int x = 0; x < img.width(); x++) {
            int a = x * 4;
            int expected = (int) Math.round(255.0 * a / 255);
            assertEquals(expected, img.get(x, 5, 0), 0, "x " + x);
            assertEquals(0, img.get(x, 5, 1));
            assertEquals(expected, img.get(x, 5, 2));
        }
    }

    private static void assertSolid(RgbImage img, int r, int g, int b, String name) {
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                assertEquals(r, img.get(x, y, 0), name);
                assertEquals(g, img.get(x, y, 1), name);
                assertEquals(b, img.get(x, y, 2), name);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"animated.gif", "animated.png", "pages.tif", "animated.webp"})
    void animationsGiveTheFirstFrameAndAWarning(String name) {
        DecodedImage d = read(name);
        assertSolid(d.image(), 255, 0, 0, name);
        assertEquals(1, d.warnings().size(), d.warnings().toString());
        String w = d.warnings().get(0);
        assertTrue(w.contains("only the first") || w.contains("only its default image"), w);
        assertTrue(name.equals("animated.png") || w.contains("3 "), w);
    }

    @Test
    void lyingHeaderIsRejectedFromTheHeader() {
        SdcException e = assertThrows(SdcException.class, () -> read("lying-16384.png"));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(DIR.resolve("lying-16384.png").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--max-pixels"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void lyingHeaderInsideARaisedLimitFailsAsTruncated() {
        // 2^28 pixels allowed: the reader starts, finds the data missing and fails with a one-line message.
        SdcException e = assertThrows(SdcException.class,
                () -> ImageFiles.read(DIR.resolve("lying-16384.png"), new ReadOptions(0xFFFFFF, ImageFiles.MAX_PIXELS)));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(DIR.resolve("lying-16384.png").toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void maxPixelsIsCheckedAgainstTheHeader() {
        SdcException e = assertThrows(SdcException.class,
                () -> ImageFiles.read(DIR.resolve("grey8.png"), new ReadOptions(0xFFFFFF, 64 * 48 - 1)));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("64x48"), e.getMessage());
        assertEquals(64, ImageFiles.read(DIR.resolve("grey8.png"), new ReadOptions(0xFFFFFF, 64 * 48)).image().width());
    }

    @Test
    void backgroundParsing() {
        assertEquals(0xFFFFFF, ReadOptions.parseBackground("white"));
        assertEquals(0x000000, ReadOptions.parseBackground("BLACK"));
        assertEquals(0x12ab34, ReadOptions.parseBackground("#12AB34"));
        assertEquals(0x12ab34, ReadOptions.parseBackground("12ab34"));
        SdcException e = assertThrows(SdcException.class, () -> ReadOptions.parseBackground("purple"));
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    /**
     * A JPEG whose data ends early: the reader only warns and fills the rest with grey, so a file cut in half,
     * or 700 bytes claiming 11585x11585 (a memory bomb under --max-pixels), would be encoded as if whole.
     */
    @Test
    void aTruncatedJpegFailsAsTruncated(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        byte[] whole = java.nio.file.Files.readAllBytes(DIR.resolve("orientation-1.jpg"));
        int scan = indexOf(whole, (byte) 0xDA);
        int scanStart = scan + 1 + (((whole[scan + 1] & 0xFF) << 8) | (whole[scan + 2] & 0xFF));
        byte[] half = java.util.Arrays.copyOf(whole, scanStart + (whole.length - scanStart) / 2 + 2);
        half[half.length - 2] = (byte) 0xFF;
        half[half.length - 1] = (byte) 0xD9; // EOI, so only the missing half of the scan data is wrong
        byte[] bomb = whole.clone();
        int sof = indexOf(bomb, (byte) 0xC0);
        java.nio.ByteBuffer.wrap(bomb).putShort(sof + 4, (short) 11585).putShort(sof + 6, (short) 11585);
        int sos = indexOf(bomb, (byte) 0xDA);
        int headerEnd = sos + 1 + (((bomb[sos + 1] & 0xFF) << 8) | (bomb[sos + 2] & 0xFF));
        byte[] tiny = java.util.Arrays.copyOf(bomb, headerEnd + 64 + 2);
        tiny[tiny.length - 2] = (byte) 0xFF;
        tiny[tiny.length - 1] = (byte) 0xD9;
        for (byte[] damaged : List.of(half, tiny)) {
            Path f = java.nio.file.Files.write(tmp.resolve("cut.jpg"), damaged);
            SdcException e = assertThrows(SdcException.class, () -> ImageFiles.read(f, ReadOptions.DEFAULTS));
            assertEquals(ExitCode.BAD_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        assertFalse(ImageFiles.isDamage("Corrupt JPEG data: 3 extraneous bytes before marker 0xd9"),
                "a warning libjpeg decodes past is no damage");
    }

    /**
     * The JDK's PNG reader skips CRCs, so a flipped bit in IDAT that still inflates would be encoded as a whole
     * picture. A critical chunk with a wrong CRC fails as corrupt; an ancillary one is dropped, as libpng does:
     * a broken eXIf does not turn the pixels.
     */
    @Test
    void aPngChunkThatFailsItsCrc(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        byte[] whole = java.nio.file.Files.readAllBytes(DIR.resolve("orientation-6.png"));
        for (String critical : List.of("IHDR", "IDAT", "IEND")) {
            byte[] damaged = whole.clone();
            damaged[chunkData(damaged, critical)] ^= 0x01; // IEND has no data: this flips its CRC's first byte
            Path f = java.nio.file.Files.write(tmp.resolve("crc.png"), damaged);
            SdcException e = assertThrows(SdcException.class, () -> ImageFiles.read(f, ReadOptions.DEFAULTS));
            assertEquals(ExitCode.BAD_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains("corrupt image data (CRC error in the " + critical + " chunk at byte "),
                    e.getMessage());
        }
        byte[] exif = whole.clone();
        exif[chunkData(exif, "eXIf") + 10] ^= 0x01;
        Path f = java.nio.file.Files.write(tmp.resolve("exif.png"), exif);
        Raster stored = raw("orientation-6.png");
        RgbImage img = ImageFiles.read(f, ReadOptions.DEFAULTS).image();
        assertEquals(stored.getWidth(), img.width(), "the broken eXIf is dropped: the pixels stay as stored");
        assertEquals(stored.getHeight(), img.height());
        assertNotEquals(img.width(), read("orientation-6.png").image().width(), "the intact file is turned");
    }

    /**
     * A cut WebP, TIFF or BMP fails as truncated, from the file's own header: the lossless WebP decoder read the
     * missing half as zeros and returned a whole picture (exit 0); the others said only "EOFException".
     */
    @ParameterizedTest
    @ValueSource(strings = {"upright.webp", "magenta-transparent.webp", "orientation-6.webp", "grey8.tif", "rgb.bmp"})
    void aCutFileFailsAsTruncated(String name, @org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path source = DIR.resolve(name);
        if (name.endsWith(".bmp")) { // no BMP in testdata/input: the PNG's pixels, saved by ImageIO
            source = tmp.resolve(name);
            assertTrue(ImageIO.write(ImageIO.read(DIR.resolve("rgb.png").toFile()), "bmp", source.toFile()));
        }
        ImageFiles.read(source, ReadOptions.DEFAULTS); // whole, it reads
        byte[] whole = java.nio.file.Files.readAllBytes(source);
        Path cut = java.nio.file.Files.write(tmp.resolve("cut-" + name), java.util.Arrays.copyOf(whole, whole.length / 2));
        SdcException e = assertThrows(SdcException.class, () -> ImageFiles.read(cut, ReadOptions.DEFAULTS));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("truncated or corrupt image data"), e.getMessage());
    }

    /** The offset of the data of the first PNG chunk of this type. */
    private static int chunkData(byte[] png, String type) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(png);
        for (int at = 8; at + 8 <= png.length; at += 12 + b.getInt(at)) {
            if (new String(png, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals(type)) {
                return at + 8;
            }
        }
        throw new AssertionError("no " + type + " chunk");
    }

    /** The position after the first 0xFF {@code marker} pair. */
    private static int indexOf(byte[] b, byte marker) {
        for (int i = 2; i + 1 < b.length; i++) {
            if (b[i] == (byte) 0xFF && b[i + 1] == marker) {
                return i + 1;
            }
        }
        throw new AssertionError("no marker " + marker);
    }
}
