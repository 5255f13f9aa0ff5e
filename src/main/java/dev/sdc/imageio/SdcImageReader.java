package dev.sdc.imageio;

import dev.sdc.bitstream.FormatException;
import dev.sdc.bitstream.SdcFile;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.codec.DecodeOptions;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;

import javax.imageio.IIOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a .sdc file through ImageIO: {@code ImageIO.read(new File("x.sdc"))}. Width and height come from the
 * header (no network runs); {@link #read} decodes with the shared codec of the default bundle, or of the
 * folder named by the system property {@code sdc.model}, with the file's own denoise settings. The pixels
 * equal those of {@code sdc decode}: both call the same {@code BundleCodec.decode}.
 */
public final class SdcImageReader extends ImageReader {
    private byte[] bytes;
    private SdcFile file;
    /** The first read's failure: the stream is spent, so every later call reports the same one. */
    private IIOException failure;

    SdcImageReader(SdcImageReaderSpi spi) {
        super(spi);
    }

    @Override
    public void setInput(Object input, boolean seekForwardOnly, boolean ignoreMetadata) {
        super.setInput(input, seekForwardOnly, ignoreMetadata);
        bytes = null;
        file = null;
        failure = null;
    }

    /** Reads and validates the whole file once (it is small); format errors become IIOExceptions. */
    private SdcFile file() throws IOException {
        if (file != null) {
            return file;
        }
        if (failure != null) {
            throw new IIOException(failure.getMessage(), failure);
        }
        if (!(input instanceof ImageInputStream in)) {
            throw new IllegalStateException("no input set");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int r; (r = in.read(buf)) > 0; ) {
            if (out.size() + r > SdcReader.MAX_FILE_BYTES) {
                throw failure = new IIOException("larger than any sdc file");
            }
            out.write(buf, 0, r);
        }
        try {
            bytes = out.toByteArray();
            file = SdcReader.read(bytes);
        } catch (FormatException e) {
            throw failure = new IIOException("not a valid sdc file: " + e.getMessage(), e);
        }
        return file;
    }

    private void checkIndex(int imageIndex) {
        if (imageIndex != 0) {
            throw new IndexOutOfBoundsException("a .sdc file holds one image, asked for " + imageIndex);
        }
    }

    @Override
    public int getNumImages(boolean allowSearch) {
        if (input == null) {
            throw new IllegalStateException("no input set"); // the ImageReader contract
        }
        return 1;
    }

    @Override
    public int getWidth(int imageIndex) throws IOException {
        checkIndex(imageIndex);
        return file().header().width();
    }

    @Override
    public int getHeight(int imageIndex) throws IOException {
        checkIndex(imageIndex);
        return file().header().height();
    }

    @Override
    public Iterator<ImageTypeSpecifier> getImageTypes(int imageIndex) {
        checkIndex(imageIndex);
        return List.of(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB)).iterator();
    }

    @Override
    public IIOMetadata getStreamMetadata() {
        return null;
    }

    @Override
    public IIOMetadata getImageMetadata(int imageIndex) {
        checkIndex(imageIndex);
        return null;
    }

    /** The .sdc file's parsed header and metadata section, for callers that want the EXIF or XMP. */
    public SdcFile sdcFile() throws IOException {
        return file();
    }

    /**
     * Decodes the image. A param's source region, subsampling, destination image and destination offset are
     * honoured as the JDK's readers honour them (the networks decode the whole latent; the region is cut from
     * the result); a region outside the image is an IllegalArgumentException, as {@code computeRegions}
     * makes it. Source and destination bands are not supported (the image is RGB).
     */
    @Override
    public BufferedImage read(int imageIndex, ImageReadParam param) throws IOException {
        checkIndex(imageIndex);
        file();
        int w = file.header().width();
        int h = file.header().height();
        BufferedImage dest = null;
        Rectangle src = new Rectangle();
        Rectangle dst = new Rectangle();
        if (param != null) {
            checkReadParamBandSettings(param, 3, 3);
            dest = getDestination(param, getImageTypes(0), w, h);
            computeRegions(param, w, h, dest, src, dst); // before the decode: a bad region fails at once
        }
        processImageStarted(0);
        RgbImage image;
        try {
            image = SdcImageIo.codec().decode(bytes, DecodeOptions.defaults());
        } catch (RuntimeException e) {
            throw new IIOException("cannot decode sdc: " + e.getMessage(), e);
        }
        BufferedImage whole = ImageFiles.toBufferedImage(image);
        processImageProgress(100f); // one network pass: no finer steps to report
        if (param == null) {
            processImageComplete();
            return whole;
        }
        int sx = param.getSourceXSubsampling();
        int sy = param.getSourceYSubsampling();
        int[] row = new int[dst.width];
        for (int y = 0; y < dst.height; y++) {
            for (int x = 0; x < dst.width; x++) {
                row[x] = whole.getRGB(src.x + x * sx, src.y + y * sy);
            }
            dest.setRGB(dst.x, dst.y + y, dst.width, 1, row, 0, dst.width);
        }
        processImageComplete();
        return dest;
    }
}
