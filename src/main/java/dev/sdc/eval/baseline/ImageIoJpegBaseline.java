package dev.sdc.eval.baseline;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.io.AtomicFiles;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/** JPEG through the JDK's ImageIO writer, the fallback when cjpeg is not installed. */
final class ImageIoJpegBaseline implements Baseline {
    private final ThreadLocal<Double> lastDecode = ThreadLocal.withInitial(() -> Double.NaN);

    @Override
    public String name() {
        return "jpeg";
    }

    @Override
    public int minQuality() {
        return 1;
    }

    @Override
    public int maxQuality() {
        return 100;
    }

    @Override
    public Encoded encode(SourceImage source, int quality, Path workDir) {
        long start = System.nanoTime();
        byte[] bytes = encodeBytes(source.image(), quality / 100f);
        double ms = (System.nanoTime() - start) / 1e6;
        Path out = workDir.resolve("jpeg-q" + quality + ".jpg");
        AtomicFiles.write(out, bytes);
        return new Encoded(out, bytes.length, quality, "ImageIO JPEG quality=" + quality / 100f, ms,
                source.image().width(), source.image().height());
    }

    @Override
    public RgbImage decode(Encoded encoded, Path workDir) {
        long start = System.nanoTime();
        try {
            RgbImage image = ImageFiles.decode(Files.readAllBytes(encoded.file()), encoded.file().toString());
            lastDecode.set((System.nanoTime() - start) / 1e6);
            return image;
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "cannot read " + encoded.file() + ": " + e.getMessage());
        }
    }

    @Override
    public double lastDecodeMillis() {
        return lastDecode.get();
    }

    @Override
    public String version() {
        return "ImageIO JPEG writer (JDK " + System.getProperty("java.version") + ")";
    }

    private static byte[] encodeBytes(RgbImage image, float quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new SdcException(ExitCode.IO, "no ImageIO JPEG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(ImageFiles.toBufferedImage(image), null, null), param);
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "ImageIO JPEG encode failed: " + e.getMessage());
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
