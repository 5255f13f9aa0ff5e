package dev.sdc.imageio;

import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageOutputStream;
import java.util.Locale;

/** Registers {@link SdcImageWriter} with ImageIO (META-INF/services/javax.imageio.spi.ImageWriterSpi). */
public final class SdcImageWriterSpi extends ImageWriterSpi {
    public SdcImageWriterSpi() {
        super(SdcImageIo.VENDOR, SdcImageIo.VERSION, SdcImageIo.NAMES, SdcImageIo.SUFFIXES, SdcImageIo.MIME_TYPES,
                SdcImageWriter.class.getName(), new Class<?>[] {ImageOutputStream.class},
                new String[] {SdcImageReaderSpi.class.getName()}, false, null, null, null, null, false, null, null,
                null, null);
    }

    @Override
    public boolean canEncodeImage(ImageTypeSpecifier type) {
        return true; // any image: it is converted to 8-bit sRGB first
    }

    @Override
    public ImageWriter createWriterInstance(Object extension) {
        return new SdcImageWriter(this);
    }

    @Override
    public String getDescription(Locale locale) {
        return "sdc latent-space image (.sdc)";
    }
}
