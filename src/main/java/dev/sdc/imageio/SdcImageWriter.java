package dev.sdc.imageio;

import dev.sdc.codec.BundleCodec;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;

import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.IOException;

/**
 * Writes a .sdc file through ImageIO: {@code ImageIO.write(img, "sdc", file)}, with the shared codec (see
 * {@link SdcImageReader} for the bundle). An {@link SdcWriteParam} sets colours and dithering, or the scalar mode and its quality.
 */
public final class SdcImageWriter extends ImageWriter {
    SdcImageWriter(SdcImageWriterSpi spi) {
        super(spi);
    }

    @Override
    public ImageWriteParam getDefaultWriteParam() {
        return new SdcWriteParam();
    }

    @Override
    public IIOMetadata getDefaultStreamMetadata(ImageWriteParam param) {
        return null;
    }

    @Override
    public IIOMetadata getDefaultImageMetadata(ImageTypeSpecifier imageType, ImageWriteParam param) {
        return null;
    }

    @Override
    public IIOMetadata convertStreamMetadata(IIOMetadata inData, ImageWriteParam param) {
        return null;
    }

    @Override
    public IIOMetadata convertImageMetadata(IIOMetadata inData, ImageTypeSpecifier imageType, ImageWriteParam param) {
        return null;
    }

    @Override
    public void write(IIOMetadata streamMetadata, IIOImage image, ImageWriteParam param) throws IOException {
        if (!(output instanceof ImageOutputStream out)) {
            throw new IllegalStateException("no output set");
        }
        RenderedImage r = image.getRenderedImage();
        BufferedImage b;
        if (r instanceof BufferedImage bi) {
            b = bi;
        } else {
            throw new IIOException("sdc writes BufferedImages only");
        }
        SdcWriteParam p = param instanceof SdcWriteParam s ? s : new SdcWriteParam();
        processImageStarted(0);
        dev.sdc.image.DecodedImage converted = ImageFiles.fromBufferedImage(region(b, param), p.getBackground());
        converted.warnings().forEach(w -> processWarningOccurred(0, w)); // IIOWriteWarningListener, as the CLI warns
        RgbImage rgb = converted.image();
        byte[] sdc;
        try {
            BundleCodec codec = SdcImageIo.codec();
            sdc = codec.encode(rgb, p.toOptions(codec));
        } catch (RuntimeException e) {
            throw new IIOException("cannot encode sdc: " + e.getMessage(), e);
        }
        out.write(sdc);
        out.flush();
        processImageProgress(100f);
        processImageComplete();
    }

    /**
     * The part of {@code image} a param's source region and subsampling select (all of it without them), as
     * the JDK's writers honour them; a region outside the image is an IllegalArgumentException.
     */
    static BufferedImage region(BufferedImage image, ImageWriteParam param) {
        if (param == null || (param.getSourceRegion() == null && param.getSourceXSubsampling() == 1
                && param.getSourceYSubsampling() == 1)) {
            return image;
        }
        java.awt.Rectangle r = new java.awt.Rectangle(0, 0, image.getWidth(), image.getHeight());
        if (param.getSourceRegion() != null) {
            r = r.intersection(param.getSourceRegion());
        }
        int sx = param.getSourceXSubsampling();
        int sy = param.getSourceYSubsampling();
        int x0 = r.x + param.getSubsamplingXOffset();
        int y0 = r.y + param.getSubsamplingYOffset();
        int w = (r.x + r.width - x0 + sx - 1) / sx;
        int h = (r.y + r.height - y0 + sy - 1) / sy;
        if (r.isEmpty() || w <= 0 || h <= 0) {
            throw new IllegalArgumentException("the source region " + param.getSourceRegion()
                    + " selects no pixel of the " + image.getWidth() + "x" + image.getHeight() + " image");
        }
        // sample by sample in the image's own colour model: a grey or 16-bit image stays what it was, and is
        // converted once, by the same rules as a whole image (getRGB would take grey as linear light)
        java.awt.image.ColorModel cm = image.getColorModel();
        java.awt.image.Raster in = image.getRaster();
        java.awt.image.WritableRaster out = cm.createCompatibleWritableRaster(w, h);
        Object pixel = null;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixel = in.getDataElements(x0 + x * sx, y0 + y * sy, pixel);
                out.setDataElements(x, y, pixel);
            }
        }
        return new BufferedImage(cm, out, cm.isAlphaPremultiplied(), null);
    }
}
