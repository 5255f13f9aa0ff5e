package dev.sdc.imageio;

import dev.sdc.bitstream.SdcReader;

import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.util.Locale;

/** Registers {@link SdcImageReader} with ImageIO (META-INF/services/javax.imageio.spi.ImageReaderSpi). */
public final class SdcImageReaderSpi extends ImageReaderSpi {
    public SdcImageReaderSpi() {
        super(SdcImageIo.VENDOR, SdcImageIo.VERSION, SdcImageIo.NAMES, SdcImageIo.SUFFIXES, SdcImageIo.MIME_TYPES,
                SdcImageReader.class.getName(), new Class<?>[] {ImageInputStream.class},
                new String[] {SdcImageWriterSpi.class.getName()}, false, null, null, null, null, false, null, null,
                null, null);
    }

    @Override
    public boolean canDecodeInput(Object source) throws IOException {
        if (!(source instanceof ImageInputStream in)) {
            return false;
        }
        byte[] head = new byte[4];
        in.mark();
        try {
            int n = 0;
            while (n < 4) {
                int r = in.read(head, n, 4 - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            return SdcReader.hasMagic(head, n);
        } finally {
            in.reset();
        }
    }

    @Override
    public ImageReader createReaderInstance(Object extension) {
        return new SdcImageReader(this);
    }

    @Override
    public String getDescription(Locale locale) {
        return "sdc latent-space image (.sdc)";
    }
}
