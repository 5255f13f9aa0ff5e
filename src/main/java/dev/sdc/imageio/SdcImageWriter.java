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
        RgbImage rgb = ImageFiles.fromBufferedImage(b);
        byte[] sdc;
        try {
            BundleCodec codec = SdcImageIo.codec();
            sdc = codec.encode(rgb, p.toOptions(codec));
        } catch (RuntimeException e) {
            throw new IIOException("cannot encode sdc: " + e.getMessage(), e);
        }
        out.write(sdc);
        out.flush();
    }
}
