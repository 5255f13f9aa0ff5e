package dev.sdc.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdc.bitstream.SdcReader;
import dev.sdc.cli.Main;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .sdc through ImageIO with the test bundle named by the {@code sdc.model} system property. */
class SdcImageIoTest {
    static final String BUNDLE = Path.of("testdata/bundles/test").toAbsolutePath().toString();
    static final Path IMAGE = Path.of("testdata/images/shapes-200x120.png");

    @TempDir
    Path dir;

    @BeforeAll
    static void useTestBundle() {
        System.setProperty(SdcImageIo.MODEL_PROPERTY, BUNDLE);
        ImageIO.scanForPlugins();
    }

    @AfterAll
    static void clear() {
        System.clearProperty(SdcImageIo.MODEL_PROPERTY);
    }

    private static void sdc(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
    }

    private Path encodedWithCli() {
        Path sdc = dir.resolve("a.sdc");
        sdc("encode", IMAGE.toString(), sdc.toString(), "--model", BUNDLE, "-q");
        return sdc;
    }

    @Test
    void readerIsFoundBySuffixAndContentAndReadsSizeWithoutTheModel() throws IOException {
        Iterator<ImageReader> bySuffix = ImageIO.getImageReadersBySuffix("sdc");
        assertTrue(bySuffix.hasNext());
        assertTrue(bySuffix.next() instanceof SdcImageReader);
        assertTrue(ImageIO.getImageWritersBySuffix("sdc").hasNext());
        Path sdc = encodedWithCli();
        String saved = System.getProperty(SdcImageIo.MODEL_PROPERTY);
        System.setProperty(SdcImageIo.MODEL_PROPERTY, dir.resolve("no-such-bundle").toString());
        try (ImageInputStream in = ImageIO.createImageInputStream(sdc.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next(); // found by content, not name
            reader.setInput(in);
            assertEquals(200, reader.getWidth(0)); // a missing bundle would fail here if a network ran
            assertEquals(120, reader.getHeight(0));
            reader.dispose();
        } finally {
            System.setProperty(SdcImageIo.MODEL_PROPERTY, saved);
        }
    }

    @Test
    void imageIoReadEqualsSdcDecodePixelForPixel() throws IOException {
        Path sdc = encodedWithCli();
        Path png = dir.resolve("b.png");
        sdc("decode", sdc.toString(), png.toString(), "--model", BUNDLE, "-q");
        BufferedImage viaImageIo = ImageIO.read(sdc.toFile());
        assertArrayEquals(ImageFiles.read(png).rgb(), ImageFiles.fromBufferedImage(viaImageIo).rgb());
    }

    @Test
    void writeEncodesWithTheParamsColours() throws IOException {
        BufferedImage img = ImageFiles.toBufferedImage(ImageFiles.read(IMAGE));
        File out = dir.resolve("w.sdc").toFile();
        assertTrue(ImageIO.write(img, "sdc", out));
        assertEquals(200, SdcReader.read(out.toPath()).header().width());
        ImageWriter writer = ImageIO.getImageWritersByFormatName("sdc").next();
        SdcWriteParam param = (SdcWriteParam) writer.getDefaultWriteParam();
        param.setColors(8);
        param.setDither(false);
        Path small = dir.resolve("w8.sdc");
        try (ImageOutputStream os = ImageIO.createImageOutputStream(Files.newOutputStream(small))) {
            writer.setOutput(os);
            writer.write(null, new IIOImage(img, null, null), param);
        }
        writer.dispose();
        assertTrue(SdcReader.read(small).latent().paletteSize() <= 8);
        RgbImage back = ImageFiles.fromBufferedImage(ImageIO.read(small.toFile()));
        assertEquals(200, back.width());
        assertThrows(IllegalArgumentException.class, () -> param.setColors(0));
    }

    /** The scalar mode through ImageIO's compression API: type "scalar", quality 0..1 as --quality 0..100. */
    @Test
    void scalarModeThroughTheCompressionTypeAndQuality() throws IOException {
        BufferedImage img = ImageFiles.toBufferedImage(ImageFiles.read(Path.of("testdata/images/landscape-512x384.png")));
        String saved = System.getProperty(SdcImageIo.MODEL_PROPERTY);
        String scalarBundle = Path.of("testdata/bundles/test-scalar").toAbsolutePath().toString();
        System.setProperty(SdcImageIo.MODEL_PROPERTY, scalarBundle);
        try {
            Path low = writeScalar(img, 0.2f, "low.sdc");
            Path high = writeScalar(img, 0.9f, "high.sdc");
            Path dflt = writeScalar(img, Float.NaN, "default.sdc");
            for (Path p : new Path[] {low, high, dflt}) {
                assertEquals(dev.sdc.bitstream.SdcHeader.MODE_SCALAR, SdcReader.read(p).header().mode(), p.toString());
            }
            assertTrue(Files.size(high) > Files.size(low), Files.size(high) + " vs " + Files.size(low));
            // the same file as the CLI's --quality 90
            Path cli = dir.resolve("cli.sdc");
            sdc("encode", "testdata/images/landscape-512x384.png", cli.toString(), "--model", scalarBundle, "--mode",
                    "scalar", "--quality", "90", "-q", "--metadata", "none");
            assertArrayEquals(Files.readAllBytes(cli), Files.readAllBytes(high));
            // and the bundle's default level without a quality, as --mode scalar alone
            Path cliDefault = dir.resolve("cli-default.sdc");
            sdc("encode", "testdata/images/landscape-512x384.png", cliDefault.toString(), "--model", scalarBundle,
                    "--mode", "scalar", "-q", "--metadata", "none");
            assertArrayEquals(Files.readAllBytes(cliDefault), Files.readAllBytes(dflt));
            assertEquals(512, ImageIO.read(high.toFile()).getWidth());
        } finally {
            System.setProperty(SdcImageIo.MODEL_PROPERTY, saved);
        }
        // a bundle without a scalar prior refuses the mode with an IIOException, not a crash
        IOException e = assertThrows(IOException.class, () -> writeScalar(img, 0.5f, "none.sdc"));
        assertTrue(e.getMessage().contains("cannot encode sdc"), e.getMessage());
    }

    private Path writeScalar(BufferedImage img, float quality, String name) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("sdc").next();
        SdcWriteParam param = (SdcWriteParam) writer.getDefaultWriteParam();
        param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType(SdcWriteParam.SCALAR);
        if (!Float.isNaN(quality)) {
            param.setCompressionQuality(quality);
        }
        Path out = dir.resolve(name);
        try (ImageOutputStream os = ImageIO.createImageOutputStream(Files.newOutputStream(out))) {
            writer.setOutput(os);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out;
    }

    @Test
    void aCorruptFileIsAnIioException() throws IOException {
        Path sdc = encodedWithCli();
        byte[] b = Files.readAllBytes(sdc);
        b[b.length / 2] ^= 0x55;
        Path bad = dir.resolve("bad.sdc");
        Files.write(bad, b);
        assertThrows(IOException.class, () -> ImageIO.read(bad.toFile()));
        // the stream is spent after the first call: later calls report the same failure, not "empty"
        javax.imageio.ImageReader r = ImageIO.getImageReadersBySuffix("sdc").next();
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(bad.toFile())) {
            r.setInput(in);
            String first = assertThrows(javax.imageio.IIOException.class, () -> r.getWidth(0)).getMessage();
            assertTrue(first.contains("CRC"), first);
            assertEquals(first, assertThrows(javax.imageio.IIOException.class, () -> r.read(0)).getMessage());
        } finally {
            r.dispose();
        }
        javax.imageio.ImageReader unset = ImageIO.getImageReadersBySuffix("sdc").next();
        assertThrows(IllegalStateException.class, () -> unset.getNumImages(false), "the ImageReader contract");
    }

    /** An encoder treats its input as read-only: a premultiplied image is converted on a copy. */
    @Test
    void writingLeavesThePremultipliedInputUnchanged() throws IOException {
        BufferedImage pre = new BufferedImage(64, 48, BufferedImage.TYPE_INT_ARGB_PRE);
        java.awt.Graphics2D g = pre.createGraphics();
        g.setComposite(java.awt.AlphaComposite.Src);
        g.setColor(new java.awt.Color(255, 0, 0, 128));
        g.fillRect(0, 0, 64, 48);
        g.dispose();
        int[] before = pre.getRaster().getPixels(0, 0, 64, 48, (int[]) null);
        assertTrue(ImageIO.write(pre, "sdc", new java.io.ByteArrayOutputStream()));
        assertTrue(pre.isAlphaPremultiplied());
        assertArrayEquals(before, pre.getRaster().getPixels(0, 0, 64, 48, (int[]) null));
    }

    /** A plugin must not change its host's global ImageIO settings. */
    @Test
    void readingAndWritingKeepImageIoUseCache() throws IOException {
        Path sdc = encodedWithCli();
        ImageIO.setUseCache(true);
        ImageIO.read(sdc.toFile());
        ImageIO.write(ImageIO.read(IMAGE.toFile()), "sdc", new java.io.ByteArrayOutputStream());
        assertTrue(ImageIO.getUseCache());
    }

    /** Source region, subsampling and destination offset as the JDK's readers honour them. */
    @Test
    void readParamsSelectWhatTheJdkReadersSelect() throws IOException {
        Path sdc = encodedWithCli();
        BufferedImage whole = ImageIO.read(sdc.toFile());
        ImageReader r = ImageIO.getImageReadersBySuffix("sdc").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(sdc.toFile())) {
            r.setInput(in);
            javax.imageio.ImageReadParam p = r.getDefaultReadParam();
            p.setSourceRegion(new java.awt.Rectangle(10, 20, 51, 40));
            p.setSourceSubsampling(2, 3, 1, 0);
            BufferedImage part = r.read(0, p);
            assertEquals(25, part.getWidth()); // (51 - 1) / 2 rounded up
            assertEquals(14, part.getHeight()); // 40 / 3 rounded up
            for (int y = 0; y < part.getHeight(); y++) {
                for (int x = 0; x < part.getWidth(); x++) {
                    assertEquals(whole.getRGB(11 + 2 * x, 20 + 3 * y), part.getRGB(x, y), x + "," + y);
                }
            }
            BufferedImage dest = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
            javax.imageio.ImageReadParam q = r.getDefaultReadParam();
            q.setDestination(dest);
            q.setDestinationOffset(new java.awt.Point(5, 7));
            assertTrue(dest == r.read(0, q));
            assertEquals(whole.getRGB(0, 0), dest.getRGB(5, 7));
            assertEquals(whole.getRGB(199, 119), dest.getRGB(204, 126));
            javax.imageio.ImageReadParam outside = r.getDefaultReadParam();
            outside.setSourceRegion(new java.awt.Rectangle(1000, 1000, 10, 10));
            assertThrows(IllegalArgumentException.class, () -> r.read(0, outside));
        } finally {
            r.dispose();
        }
    }

    /** A write param's source region and subsampling: the same file as writing that part of the image. */
    @Test
    void writeParamsSelectThePartThatIsEncoded() throws IOException {
        BufferedImage img = ImageIO.read(IMAGE.toFile());
        ImageWriter w = ImageIO.getImageWritersBySuffix("sdc").next();
        try {
            javax.imageio.ImageWriteParam p = w.getDefaultWriteParam();
            p.setSourceRegion(new java.awt.Rectangle(16, 8, 100, 64));
            p.setSourceSubsampling(2, 2, 0, 0);
            java.io.ByteArrayOutputStream viaParam = new java.io.ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(viaParam)) {
                w.setOutput(out);
                w.write(null, new IIOImage(img, null, null), p);
            }
            BufferedImage part = new BufferedImage(50, 32, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 50; x++) {
                    part.setRGB(x, y, img.getRGB(16 + 2 * x, 8 + 2 * y));
                }
            }
            java.io.ByteArrayOutputStream direct = new java.io.ByteArrayOutputStream();
            ImageIO.write(part, "sdc", direct);
            assertArrayEquals(direct.toByteArray(), viaParam.toByteArray());
            assertEquals(50, SdcReader.read(viaParam.toByteArray()).header().width());
            javax.imageio.ImageWriteParam lossy = w.getDefaultWriteParam();
            lossy.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            lossy.setCompressionType("palette");
            assertEquals(false, lossy.isCompressionLossless());
        } finally {
            w.dispose();
        }
    }

    /** Transparent pixels go onto the param's background (the CLI's --background), and a listener hears of it. */
    @Test
    void alphaIsCompositedOntoTheParamsBackgroundWithAWarning() throws IOException {
        BufferedImage clear = new BufferedImage(64, 48, BufferedImage.TYPE_INT_ARGB); // all transparent
        ImageWriter w = ImageIO.getImageWritersBySuffix("sdc").next();
        java.util.List<String> warnings = new java.util.ArrayList<>();
        w.addIIOWriteWarningListener((source, index, warning) -> warnings.add(warning));
        java.util.List<String> events = new java.util.ArrayList<>();
        w.addIIOWriteProgressListener(new javax.imageio.event.IIOWriteProgressListener() {
            @Override public void imageStarted(ImageWriter source, int imageIndex) { events.add("started"); }
            @Override public void imageProgress(ImageWriter source, float percentageDone) { events.add("" + percentageDone); }
            @Override public void imageComplete(ImageWriter source) { events.add("complete"); }
            @Override public void thumbnailStarted(ImageWriter source, int imageIndex, int thumbnailIndex) { }
            @Override public void thumbnailProgress(ImageWriter source, float percentageDone) { }
            @Override public void thumbnailComplete(ImageWriter source) { }
            @Override public void writeAborted(ImageWriter source) { }
        });
        try {
            SdcWriteParam p = (SdcWriteParam) w.getDefaultWriteParam();
            p.setBackground(0x000000);
            java.io.ByteArrayOutputStream black = new java.io.ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(black)) {
                w.setOutput(out);
                w.write(null, new IIOImage(clear, null, null), p);
            }
            assertEquals(java.util.List.of("alpha composited onto #000000"), warnings);
            assertEquals(java.util.List.of("started", "100.0", "complete"), events);
            BufferedImage solid = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB); // black, opaque
            java.io.ByteArrayOutputStream direct = new java.io.ByteArrayOutputStream();
            ImageIO.write(solid, "sdc", direct);
            assertArrayEquals(direct.toByteArray(), black.toByteArray());
            assertThrows(IllegalArgumentException.class, () -> p.setBackground(0x1000000));
        } finally {
            w.dispose();
        }
    }
}
