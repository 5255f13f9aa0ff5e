package dev.sdc.codec;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.bitstream.FormatException;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.bitstream.SdcMetadata;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.ReadOptions;
import dev.sdc.metadata.MetadataEmbedder;
import dev.sdc.metadata.MetadataPolicy;
import dev.sdc.metadata.MetadataTransfer;
import dev.sdc.image.RgbImage;
import dev.sdc.model.MemoryBudget;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * sdc for programs that hold images as bytes or streams rather than files: a data-processing engine, a web
 * service, a batch worker. Encoded images (PNG, JPEG, WebP, BMP, TIFF, GIF) in, .sdc bytes out, and back.
 *
 * <p>Open it once and share it: an instance is thread-safe (it wraps one thread-safe {@link BundleCodec}),
 * and {@link #shared} returns the same loaded model for every caller in the JVM, so an engine that calls it
 * once per record loads the networks once per process.
 *
 * <pre>{@code
 * ImageCodec sdc = ImageCodec.shared(null, MemoryBudget.fromEnvironment()); // built-in bundle
 * byte[] file = sdc.encode(Files.readAllBytes(Path.of("photo.jpg")), "photo.jpg", EncodeOptions.defaults());
 * byte[] png = sdc.decodeTo(file, "png", DecodeOptions.defaults());
 * }</pre>
 *
 * Failures of the data are {@link SdcException}s with one-line messages, naming the input where the method
 * takes a name: BAD_INPUT for an unreadable image or a corrupt .sdc, MODEL for a missing bundle or a file made
 * with another bundle, USAGE for an output format sdc cannot write. Programming errors are the JDK's: a null
 * argument is a {@link NullPointerException}, options out of range an {@link IllegalArgumentException} (from
 * the options' constructors), a call after {@link BundleCodec#close} of a codec the caller owns an
 * {@link IllegalStateException}. Streams are read to their end and never closed.
 */
public final class ImageCodec {
    private final BundleCodec codec;
    /** How input images are read: background for alpha, pixel limit (sdc encode's --background, --max-pixels). */
    private final ReadOptions readOptions;

    /** Wraps a codec the caller owns (and closes); input images are read with {@link ReadOptions#DEFAULTS}. */
    public ImageCodec(BundleCodec codec) {
        this(codec, ReadOptions.DEFAULTS);
    }

    private ImageCodec(BundleCodec codec, ReadOptions readOptions) {
        this.codec = java.util.Objects.requireNonNull(codec, "codec");
        this.readOptions = java.util.Objects.requireNonNull(readOptions, "readOptions");
    }

    /**
     * This codec (the same loaded model) reading input images as {@code options} says, as {@code sdc encode
     * --background/--max-pixels} do: the colour transparent pixels are composited onto, and the most pixels an
     * image's header may declare (checked before any pixel is decoded).
     */
    public ImageCodec withReadOptions(ReadOptions options) {
        return new ImageCodec(codec, options);
    }

    /** How this codec reads input images. */
    public ReadOptions readOptions() {
        return readOptions;
    }

    /**
     * The JVM-wide instance for a bundle folder ({@code null}: {@code $SDC_MODEL}, else the bundle built into
     * sdc) and memory budget; see {@link SharedCodecs}.
     */
    public static ImageCodec shared(Path bundleDir, MemoryBudget budget) {
        return new ImageCodec(SharedCodecs.get(bundleDir, budget));
    }

    public BundleCodec codec() {
        return codec;
    }

    /** The loaded bundle's fingerprint, 16 hex digits, as written into every file this codec makes. */
    public String fingerprint() {
        return codec.bundle().fingerprintHex();
    }

    /**
     * The looks the loaded bundle offers ({@code faithful} first), for {@link DecodeOptions#withLook}: any of
     * them decodes any file of the bundle.
     */
    public List<String> looks() {
        return codec.bundle().looks();
    }

    /**
     * Encodes the bytes of an image file as {@code sdc encode} does, keeping its metadata by the default
     * policy (EXIF without thumbnail and MakerNote, XMP, the profile's name); {@code name} identifies it in
     * error messages. Malformed metadata is left out silently here; use the overload to see the warnings.
     */
    public byte[] encode(byte[] imageBytes, String name, EncodeOptions options) {
        return encode(imageBytes, name, options, MetadataPolicy.DEFAULT, warning -> { });
    }

    /** {@link #encode(byte[], String, EncodeOptions)} with a metadata policy and a sink for one-line warnings. */
    public byte[] encode(byte[] imageBytes, String name, EncodeOptions options, MetadataPolicy metadata,
                         Consumer<String> warnings) {
        Prepared p = prepare(imageBytes, name, metadata, warnings);
        return codec.encode(p.image(), options, p.metadata());
    }

    /** An image file's pixels and the metadata section kept of it. */
    private record Prepared(RgbImage image, SdcMetadata metadata) {
    }

    private Prepared prepare(byte[] imageBytes, String name, MetadataPolicy metadata, Consumer<String> warnings) {
        java.util.Objects.requireNonNull(name, "name");
        dev.sdc.image.DecodedImage decoded = ImageFiles.decode(imageBytes, name, readOptions);
        // the liberties the reader took (alpha composited, only the first frame or page), as sdc encode warns
        decoded.warnings().forEach(w -> warnings.accept(name + ": " + w));
        RgbImage image = decoded.image();
        return new Prepared(image, MetadataTransfer.prepare(imageBytes, name, image.width(), image.height(), metadata,
                warnings).metadata());
    }

    /**
     * Encodes at the best setting whose complete file fits {@code target} (bytes or bits per pixel), as
     * {@code sdc encode --size/--bpp}: the VAE runs once, the search repeats only quantisation and coding, and the
     * target counts the metadata kept by {@code metadata}. The result says what was chosen
     * ({@link RateControlled#describe}).
     *
     * @throws SdcException ({@link ExitCode#TARGET_UNREACHABLE}) if even the smallest file is bigger
     */
    public RateControlled encode(byte[] imageBytes, String name, RateTarget target, EncodeOptions base,
                                 MetadataPolicy metadata, Consumer<String> warnings) {
        Prepared p = prepare(imageBytes, name, metadata, warnings);
        return codec.encode(p.image(), target, base, p.metadata());
    }

    /**
     * Encodes an image read to its end from {@code in} (not closed; at most {@link ImageFiles#MAX_INPUT_BYTES},
     * as {@code sdc encode -} reads stdin: an endless stream is bad input, not an OutOfMemoryError).
     */
    public byte[] encode(InputStream in, String name, EncodeOptions options) {
        return encode(dev.sdc.io.InputFiles.readAll(in, name, ImageFiles.MAX_INPUT_BYTES), name, options);
    }

    /** Decodes the bytes of a .sdc file to pixels. */
    public RgbImage decode(byte[] sdcFile, DecodeOptions options) {
        return codec.decode(sdcFile, options);
    }

    /** Decodes a .sdc file read to its end from {@code in} (not closed; at most {@link SdcReader#MAX_FILE_BYTES}). */
    public RgbImage decode(InputStream in, String name, DecodeOptions options) {
        byte[] bytes = dev.sdc.io.InputFiles.readAll(in, name, SdcReader.MAX_FILE_BYTES);
        try {
            return decode(bytes, options);
        } catch (FormatException e) {
            throw new SdcException(ExitCode.BAD_INPUT, name + ": corrupt file: " + e.getMessage(), e);
        } catch (SdcException e) { // another bundle, a size over the limit: named too
            throw e.getMessage() != null && e.getMessage().startsWith(name + ": ") ? e
                    : new SdcException(e.exitCode(), name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a .sdc file into the bytes of an image file, with the file's EXIF and XMP written back as
     * {@code sdc decode} does: {@code format} is png, jpg/jpeg, bmp or tif/tiff.
     */
    public byte[] decodeTo(byte[] sdcFile, String format, DecodeOptions options) {
        // one spelling for every stage: the metadata writer took "PNG" for a format without metadata
        format = java.util.Objects.requireNonNull(format, "format").toLowerCase(java.util.Locale.ROOT);
        SdcHeader header = SdcReader.readHeader(sdcFile); // the format is checked before the decode, not after
        ImageFiles.checkEncodable(format, header.width(), header.height());
        DecodedFile decoded = codec.decodeWithMetadata(sdcFile, options);
        return MetadataEmbedder.embed(ImageFiles.encode(decoded.image(), format), format,
                MetadataPolicy.DEFAULT.keep(decoded.metadata()), warning -> { });
    }

    /**
     * True if {@code sdcFile} is a complete, valid .sdc file made with this codec's bundle: what a resumable
     * job checks before it skips an output that already exists.
     */
    public boolean isValidOutput(byte[] sdcFile) {
        return sdcFile != null && validOutput(sdcFile).isPresent();
    }

    /** The summary of {@code sdcFile} if it is a valid .sdc file of this codec's bundle, from one parse. */
    public Optional<SdcSummary> validOutput(byte[] sdcFile) {
        try {
            SdcSummary summary = SdcSummary.of(sdcFile);
            return summary.fingerprint().equals(fingerprint()) ? Optional.of(summary) : Optional.empty();
        } catch (FormatException e) {
            return Optional.empty();
        }
    }
}
