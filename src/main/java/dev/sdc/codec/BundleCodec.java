package dev.sdc.codec;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.bitstream.LatentPayload;
import dev.sdc.bitstream.SdcFile;
import dev.sdc.bitstream.SdcMetadata;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.bitstream.SdcWriter;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.Padding;
import dev.sdc.image.RgbImage;
import dev.sdc.model.Bundle;
import dev.sdc.model.Latent;
import dev.sdc.model.MemoryBudget;
import dev.sdc.model.LatentDenoiser;
import dev.sdc.model.ModelException;
import dev.sdc.model.ModelRuntime;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The codec over one loaded model bundle: the compressor/decompressor pair that wires the stages
 * image → model → latent → bitstream and back. Networks load lazily and stay loaded for the life of the
 * codec, so a batch of images pays the model start-up once.
 *
 * <p><b>Thread safety.</b> One instance may be shared by any number of threads: every stage is immutable
 * or works on per-call state (each network call has its own native memory scope), network loading is
 * synchronised, and {@link #lastTimings()} is kept per thread. Sharing one instance is the intended use:
 * the weights are in memory once. Closing it while other threads still use it is the caller's error;
 * {@link SharedCodecs} hands out instances whose {@link #close()} does nothing.
 */
public final class BundleCodec implements SdcCodec {
    /** How each entry point names its bundle, for messages the CLI, ImageIO and library users all see. */
    static final String BUNDLE_HINT = "--model DIR, or -Dsdc.model=DIR through ImageIO";

    private final Bundle bundle;
    private final ModelRuntime runtime;
    /** The (quantizer, coder) pair of each mode this bundle supports, selected by the header's mode field. */
    private final LatentCodecs modes;
    /** Per thread, so that concurrent callers each see the timings of their own last call. */
    private final ThreadLocal<StageTimings> lastTimings = ThreadLocal.withInitial(StageTimings::new);
    /** False for the process-wide instances of {@link SharedCodecs}, which live as long as the JVM. */
    private final boolean closeable;

    /** A codec with the bundle's default memory budget ({@link Bundle#defaultBudget()}). */
    public BundleCodec(Bundle bundle) {
        this(bundle, MemoryBudget.BUNDLE_DEFAULT);
    }

    /**
     * A codec whose networks tile images so that each call stays within about {@code budget} of native memory
     * ({@link MemoryBudget#BUNDLE_DEFAULT}: the bundle's own default).
     */
    public BundleCodec(Bundle bundle, MemoryBudget budget) {
        this(bundle, budget, true);
    }

    BundleCodec(Bundle bundle, MemoryBudget budget, boolean closeable) {
        this.bundle = bundle;
        this.closeable = closeable;
        this.runtime = ModelRuntime.open(bundle, budget);
        this.modes = new LatentCodecs(bundle);
    }

    public Bundle bundle() {
        return bundle;
    }

    /** Per-stage times of this thread's last {@link #encode}, {@link #decode} or {@link #autoencode} call. */
    public StageTimings lastTimings() {
        return lastTimings.get();
    }

    /** The memory budget each network call is held to (resolved: never {@link MemoryBudget#BUNDLE_DEFAULT}). */
    public MemoryBudget budget() {
        return runtime.budget();
    }

    @Override
    public String bundleName() {
        return bundle.name();
    }

    @Override
    public byte[] encode(RgbImage image, EncodeOptions options) {
        return encode(image, options, SdcMetadata.NONE);
    }

    /**
     * Encodes with photo metadata inside the file (docs/FORMAT.md, metadata section), so the returned bytes,
     * and any size or bpp target measured on them, include the metadata.
     */
    @Override
    public byte[] encode(RgbImage image, EncodeOptions options, SdcMetadata metadata) {
        StageTimings t = new StageTimings();
        lastTimings.set(t);
        return compress(analyze(image, t), options, metadata, t);
    }

    /**
     * The first half of {@link #encode}: pads the image and runs the VAE encoder. The result can be
     * {@link #compress compressed} with many settings (rate control) without running the network again.
     */
    public AnalyzedImage analyze(RgbImage image) {
        StageTimings t = new StageTimings();
        lastTimings.set(t);
        return analyze(image, t);
    }

    /**
     * The second half of {@link #encode}: palette + dithering and entropy coding of an analysed image into the
     * bytes of a complete .sdc file; {@code encode(image, o)} equals {@code compress(analyze(image), o)}.
     */
    public byte[] compress(AnalyzedImage analyzed, EncodeOptions options) {
        return compress(analyzed, options, SdcMetadata.NONE);
    }

    /** {@link #compress(AnalyzedImage, EncodeOptions)} with photo metadata inside the file. */
    public byte[] compress(AnalyzedImage analyzed, EncodeOptions options, SdcMetadata metadata) {
        StageTimings t = new StageTimings();
        lastTimings.set(t);
        return compress(analyzed, options, metadata, t);
    }

    /**
     * Encodes at the best setting whose complete file fits {@code target} ({@link PaletteRateControl}): runs
     * the VAE once, then searches palette size and dithering. {@code base} supplies the other settings
     * (decode defaults); its colour count is replaced by the search, and {@code base.dither() == false}
     * restricts the search to nearest-colour mapping (true lets the rule choose).
     *
     * @throws SdcException ({@link ExitCode#TARGET_UNREACHABLE}) if even the smallest setting is too big
     */
    @Override
    public RateControlled encode(RgbImage image, RateTarget target, EncodeOptions base) {
        return encode(image, target, base, SdcMetadata.NONE);
    }

    /**
     * Rate control with photo metadata inside the file: the target counts the metadata bytes too. A target
     * that even the smallest file with this metadata exceeds is an error that says how much of it is metadata;
     * the metadata is never stripped silently to make the target.
     */
    public RateControlled encode(RgbImage image, RateTarget target, EncodeOptions base, SdcMetadata metadata) {
        StageTimings t = new StageTimings();
        lastTimings.set(t);
        LatentCodec mode = modes.of(base.mode());
        AnalyzedImage analyzed = analyze(image, t);
        try {
            return mode.fit(target, image.width(), image.height(), base, o -> compress(analyzed, o, metadata, t));
        } catch (SdcException e) {
            if (e.exitCode() != ExitCode.TARGET_UNREACHABLE || metadata.isEmpty()) {
                throw e;
            }
            throw new SdcException(e.exitCode(), e.getMessage() + ", of which " + metadata.sectionBytes()
                    + " are metadata (--metadata none or a smaller list drops it)", e);
        }
    }

    private AnalyzedImage analyze(RgbImage image, StageTimings t) {
        ImageFiles.checkSdcSize("image", image.width(), image.height()); // before the encoder's forward, not after
        RgbImage padded = t.time("pad", () -> Padding.padToMultiple(image, bundle.alignment()));
        Latent latent = t.time("vae-encode", () -> runtime.autoencoder().encode(padded));
        return new AnalyzedImage(image.width(), image.height(), latent);
    }

    private byte[] compress(AnalyzedImage analyzed, EncodeOptions options, SdcMetadata metadata, StageTimings t) {
        Latent latent = analyzed.latent();
        int[] expect = latentShape(analyzed.width(), analyzed.height());
        if (latent.channels() != expect[0] || latent.height() != expect[1] || latent.width() != expect[2]) {
            throw new IllegalArgumentException("latent " + latent.channels() + "x" + latent.height() + "x"
                    + latent.width() + " was not made by this bundle from a " + analyzed.width() + "x"
                    + analyzed.height() + " image");
        }
        LatentCodec mode = modes.of(options.mode());
        LatentPayload payload = t.time(mode.mode().stage(), () -> mode.compress(latent, options));
        LatentCodec.DenoiseDefault denoise = mode.denoiseDefault(options);
        SdcHeader header = new SdcHeader(analyzed.width(), analyzed.height(), bundle.name(), bundle.fingerprint(),
                bundle.channels(), bundle.factor(), latent.width(), latent.height(), mode.mode().id(),
                (float) bundle.quantMin(), (float) bundle.quantMax(),
                options.strength() != null ? options.strength() : denoise.strength(),
                options.steps() != null ? options.steps() : denoise.steps());
        return t.time("entropy-code", () -> SdcWriter.write(new SdcFile(header, metadata, payload)));
    }

    /**
     * Refuses a look this codec's bundle does not offer, before any work.
     *
     * @throws SdcException ({@link ExitCode#USAGE}) naming the looks the bundle has
     */
    public void requireLook(String look) {
        if (!bundle.hasLook(look)) {
            throw new SdcException(ExitCode.USAGE, "no look '" + look + "' in bundle '" + bundle.name()
                    + "' (it has: " + String.join(", ", bundle.looks()) + ")");
        }
    }

    /**
     * Decodes a complete .sdc file; {@link DecodeOptions#look()} picks the bundle's decoder (any look decodes
     * any file of the bundle: the looks share its latent space).
     *
     * @throws SdcException ({@link ExitCode#USAGE}) for a look the bundle does not have
     */
    @Override
    public RgbImage decode(byte[] sdcFile, DecodeOptions options) {
        return decodeWithMetadata(sdcFile, options).image();
    }

    /** {@link #decode}, also returning the file's metadata section from the same parse. */
    public DecodedFile decodeWithMetadata(byte[] sdcFile, DecodeOptions options) {
        requireLook(options.look());
        StageTimings t = new StageTimings();
        lastTimings.set(t);
        checkSize(sdcFile, options);
        SdcFile file = readChecked(sdcFile, t);
        SdcHeader h = file.header();
        float strength = options.strength() != null ? options.strength() : h.strength();
        int steps = options.steps() != null ? options.steps() : h.steps();
        options.checkSteps(strength, h.steps(), unetCalls(strength, steps)); // before any work, as checkSize
        Latent latent = t.time("dequantize", () -> reconstruct(file));
        if (options.denoise() && strength > 0 && steps > 0) {
            Optional<LatentDenoiser> denoiser = runtime.denoiser();
            if (denoiser.isPresent()) {
                Latent noisy = latent;
                latent = t.time("unet-denoise", () -> denoiser.get().denoise(noisy, strength, steps));
            }
        }
        Latent clean = latent;
        RgbImage padded = t.time("vae-decode", () -> runtime.autoencoder().decode(clean, options.look()));
        return new DecodedFile(t.time("crop", () -> Padding.crop(padded, h.width(), h.height())), file.metadata());
    }

    @Override
    public int[] latentShape(int width, int height) {
        return new int[] {bundle.channels(), Padding.alignUp(height, bundle.alignment()) / bundle.factor(),
                Padding.alignUp(width, bundle.alignment()) / bundle.factor()};
    }

    @Override
    public RgbImage autoencode(RgbImage image) {
        StageTimings t = new StageTimings();
        lastTimings.set(t);
        Latent latent = analyze(image, t).latent();
        RgbImage decoded = t.time("vae-decode", () -> runtime.autoencoder().decode(latent));
        return t.time("crop", () -> Padding.crop(decoded, image.width(), image.height()));
    }

    /**
     * Everything {@link #decode} does before the networks run: parse, check against this bundle, dequantise.
     * Needs no network (the fuzz tests drive it with arbitrary bytes).
     *
     * @throws dev.sdc.bitstream.FormatException if the bytes are not a valid .sdc file
     * @throws SdcException (BAD_INPUT, or MODEL for a file made with another bundle) if this bundle cannot decode it
     */
    public Latent readLatent(byte[] sdcFile) {
        return reconstruct(readChecked(sdcFile, new StageTimings()));
    }

    /** The raw latent of a checked file, by its mode's (quantizer, coder) pair. */
    private Latent reconstruct(SdcFile file) {
        return modes.ofHeader(file.header().mode()).reconstruct(file.header(), file.payload());
    }

    /** Whether this codec's bundle can encode and decode {@code mode} (the scalar mode needs a prior). */
    @Override
    public boolean supports(QuantizerMode mode) {
        return modes.supports(mode);
    }

    /**
     * This codec, once its bundle is known to support {@code mode}: callers check before their first file, so
     * a bundle without a scalar prior fails a batch once (exit 4) rather than once per file.
     *
     * @throws dev.sdc.model.ModelException if the bundle does not support {@code mode}
     */
    public BundleCodec require(QuantizerMode mode) {
        modes.of(mode);
        return this;
    }

    /**
     * The scalar rate of quality {@code q} (0 … 100) for this bundle's prior.
     *
     * @throws dev.sdc.model.ModelException if the bundle has no scalar prior
     */
    public ScalarRate scalarRate(double quality) {
        return scalarCodec().rateForQuality(quality);
    }

    /**
     * Scalar-mode settings of {@code --quality} for this bundle, or its default level when {@code quality} is
     * null (the CLI, the ImageIO writer and the Spark job all take it from here).
     *
     * @throws dev.sdc.model.ModelException if the bundle has no scalar prior
     */
    public EncodeOptions scalarOptions(Double quality) {
        return EncodeOptions.scalar(quality == null ? null : scalarRate(quality));
    }

    /** The scalar rate {@code --mode scalar} uses without a quality or target. */
    public ScalarRate defaultScalarRate() {
        return scalarCodec().defaultRate();
    }

    /** E.g. "level 2, rate factor 1.0000, steps 0.031 …" for a mode-1 file's rate. */
    public String describeScalarRate(ScalarRate rate) {
        return scalarCodec().describe(rate);
    }

    private ScalarLatentCodec scalarCodec() {
        return (ScalarLatentCodec) modes.of(QuantizerMode.SCALAR);
    }

    /** The UNet calls a denoise of this strength and steps makes with this bundle's schedule (0 without a UNet). */
    private int unetCalls(float strength, int steps) {
        return runtime.denoiser().isPresent() ? bundle.schedule().timesteps(strength, steps).length : 0;
    }

    /**
     * The size limit, from the header alone, before the payload is parsed: a tiny file can claim 2^28 pixels.
     * A header that does not parse is left for {@link #readChecked} to report, with the CRC check first.
     */
    private static void checkSize(byte[] sdcFile, DecodeOptions options) {
        SdcHeader h;
        try {
            h = SdcReader.readHeader(sdcFile);
        } catch (dev.sdc.bitstream.FormatException e) {
            return;
        }
        options.checkSize(h);
    }

    private SdcFile readChecked(byte[] sdcFile, StageTimings t) {
        SdcFile file = t.time("entropy-decode", () -> SdcReader.read(sdcFile));
        checkBundle(file.header());
        return file;
    }

    /** A file is decodable only with the bundle it was made with: same fingerprint, same latent geometry. */
    private void checkBundle(SdcHeader h) {
        if (!Arrays.equals(h.fingerprint(), bundle.fingerprint())) {
            throw new ModelException("file was made with bundle '" + h.bundleName() + "' (fingerprint "
                    + HexFormat.of().formatHex(h.fingerprint()) + ") but the loaded bundle is '" + bundle.name()
                    + "' (" + bundle.fingerprintHex() + "); load the bundle that made it (" + BUNDLE_HINT + ")");
        }
        int[] expect = latentShape(h.width(), h.height());
        if (h.channels() != expect[0] || h.factor() != bundle.factor()
                || h.latentHeight() != expect[1] || h.latentWidth() != expect[2]) {
            throw new SdcException(ExitCode.BAD_INPUT, "corrupt file: latent geometry " + h.channels() + "x"
                    + h.latentHeight() + "x" + h.latentWidth() + " does not fit a " + h.width() + "x" + h.height()
                    + " image for bundle '" + bundle.name() + "'");
        }
        // the writer stores the bundle's range; the scalar mode clamps to the header's, so a forged range would
        // hand the networks latents outside what they were trained on (found by fuzzing)
        if (h.quantMin() != (float) bundle.quantMin() || h.quantMax() != (float) bundle.quantMax()) {
            throw new SdcException(ExitCode.BAD_INPUT, "corrupt file: quant range [" + h.quantMin() + ", "
                    + h.quantMax() + "] is not the range [" + (float) bundle.quantMin() + ", "
                    + (float) bundle.quantMax() + "] of bundle '" + bundle.name() + "'");
        }
    }

    /** Frees the networks' native memory; a no-op for the shared instances of {@link SharedCodecs}. */
    @Override
    public void close() {
        if (!closeable) {
            return;
        }
        runtime.close();
    }
}
