package dev.sdc.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A PNG's gAMA chunk, where it governs (no iCCP, no sRGB chunk), is converted to sRGB, as libpng-based viewers
 * and browsers show it: a linear-light PNG (gAMA 100000) read as sRGB was far too dark. The expected values come
 * from the PNG specification's formula on the raw samples: light = (v / max)^(1 / gamma), then the sRGB curve.
 */
class PngGammaTest {
    static final Path DIR = Path.of("testdata/input");

    @TempDir
    Path tmp;

    @Test
    void linearLightRgbIsConvertedFromItsOwnSamples() throws IOException {
        byte[] png = Files.readAllBytes(DIR.resolve("rgb.png"));
        RgbImage img = read(withChunk(png, "gAMA", gama(100000), true));
        Raster raw = ImageIO.read(DIR.resolve("rgb.png").toFile()).getRaster();
        double outMean = 0;
        double rawMean = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    int v = raw.getSample(x, y, c);
                    assertEquals(expected(v, 8, 1.0), img.get(x, y, c), "at " + x + "," + y + " channel " + c);
                    outMean += img.get(x, y, c);
                    rawMean += v;
                }
            }
        }
        assertTrue(outMean > rawMean * 1.1, "linear light shown as sRGB is brighter: " + outMean + " vs " + rawMean);
    }

    @Test
    void sixteenBitSamplesGoThroughTheTableAtTheirOwnDepth() throws IOException {
        byte[] png = Files.readAllBytes(DIR.resolve("grey16.png"));
        RgbImage img = read(withChunk(png, "gAMA", gama(100000), true));
        Raster raw = ImageIO.read(DIR.resolve("grey16.png").toFile()).getRaster();
        assertEquals(16, raw.getSampleModel().getSampleSize(0));
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int e = expected(raw.getSample(x, y, 0), 16, 1.0);
                for (int c = 0; c < 3; c++) {
                    assertEquals(e, img.get(x, y, c), "at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void aPaletteIsConverted() throws IOException {
        BufferedImage src = ImageIO.read(DIR.resolve("rgb.png").toFile());
        BufferedImage indexed = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
        indexed.getGraphics().drawImage(src, 0, 0, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(indexed, "png", bytes));
        RgbImage img = read(withChunk(bytes.toByteArray(), "gAMA", gama(50000), true));
        IndexColorModel icm = (IndexColorModel) indexed.getColorModel();
        for (int y = 0; y < img.height(); y += 7) {
            for (int x = 0; x < img.width(); x += 5) {
                int rgb = icm.getRGB(indexed.getRaster().getSample(x, y, 0));
                assertEquals(expected(rgb >> 16 & 0xFF, 8, 0.5), img.get(x, y, 0));
                assertEquals(expected(rgb >> 8 & 0xFF, 8, 0.5), img.get(x, y, 1));
                assertEquals(expected(rgb & 0xFF, 8, 0.5), img.get(x, y, 2));
            }
        }
    }

    /** Where gAMA does not govern, or is sRGB's own 1/2.2, the pixels are exactly those of the file without it. */
    @Test
    void gamaThatDoesNotGovernChangesNothing() throws IOException {
        byte[] png = Files.readAllBytes(DIR.resolve("rgb.png"));
        byte[] plain = read(png).rgb();
        assertArrayEquals(plain, read(withChunk(png, "gAMA", gama(45455), true)).rgb(), "45455 is sRGB's gamma");
        assertArrayEquals(plain, read(withChunk(withChunk(png, "gAMA", gama(100000), true), "sRGB", new byte[] {0}, true)).rgb(),
                "an sRGB chunk wins over gAMA");
        assertArrayEquals(plain, read(withChunk(png, "gAMA", gama(100000), false)).rgb(), "a gAMA after IDAT is ignored");
        assertArrayEquals(plain, read(withChunk(png, "gAMA", gama(0), true)).rgb(), "gAMA 0 is invalid");
        byte[] profiled = Files.readAllBytes(DIR.resolve("adobe-like.png"));
        assertArrayEquals(read(profiled).rgb(), read(withChunk(profiled, "gAMA", gama(100000), true)).rgb(),
                "an iCCP profile wins over gAMA");
    }

    @Test
    void governingGammaFollowsLibpngsThreshold() {
        assertEquals(0, ContainerFacts.governingGamma(false, false, 45455));
        assertEquals(0, ContainerFacts.governingGamma(false, false, 47000), "within 5 % of 1/2.2");
        assertEquals(0.5, ContainerFacts.governingGamma(false, false, 50000));
        assertEquals(1.0, ContainerFacts.governingGamma(false, false, 100000));
        assertEquals(0, ContainerFacts.governingGamma(true, false, 100000));
        assertEquals(0, ContainerFacts.governingGamma(false, true, 100000));
        assertEquals(0, ContainerFacts.governingGamma(false, false, 0));
    }

    /** The PNG specification's decoding of sample {@code v}, then the sRGB curve, rounded to 8 bits. */
    private static int expected(int v, int bits, double gamma) {
        double light = Math.pow(v / (Math.pow(2, bits) - 1), 1 / gamma);
        double s = light <= 0.0031308 ? 12.92 * light : 1.055 * Math.pow(light, 1 / 2.4) - 0.055;
        return (int) Math.round(255 * s);
    }

    private RgbImage read(byte[] png) throws IOException {
        Path f = Files.write(Files.createTempFile(tmp, "g", ".png"), png);
        return ImageFiles.read(f, ReadOptions.DEFAULTS).image();
    }

    private static byte[] gama(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    /** {@code png} with a chunk added right after IHDR, or right before IEND (after the image data). */
    static byte[] withChunk(byte[] png, String type, byte[] data, boolean afterIhdr) {
        int at = afterIhdr ? 8 + 25 : png.length - 12; // IHDR: 4 length + 4 type + 13 data + 4 CRC; IEND: 12 bytes
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length).putInt(data.length).put(t).put(data)
                .putInt((int) crc.getValue());
        ByteBuffer out = ByteBuffer.allocate(png.length + chunk.capacity());
        out.put(png, 0, at).put(chunk.array()).put(png, at, png.length - at);
        return out.array();
    }
}
