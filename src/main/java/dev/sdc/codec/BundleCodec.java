package dev.sdc.codec;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.bitstream.SdcFile;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.bitstream.SdcWriter;
import dev.sdc.image.Padding;
import dev.sdc.image.RgbImage;
import dev.sdc.latent.LatentQuantizer;
import dev.sdc.latent.PaletteLatent;
import dev.sdc.latent.PaletteQuantizer;
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
 */
public final class BundleCodec implements SdcCodec {
    private final Bundle bundle;
    private final ModelRuntime runtime;
    private final LatentQuantizer quantizer;
    private final PaletteQuantizer paletteQuantizer = new PaletteQuantizer();
    private StageTimings lastTimings = new StageTimings();

    /** A codec with the default memory budget ({@link MemoryBudget#DEFAULT_MB}). */
    public BundleCodec(Bundle bundle) {
        this(bundle, MemoryBudget.ofMegabytes(MemoryBudget.DEFAULT_MB));
    }

    /** A codec whose networks tile images so that each call stays within about {@code budget} of native memory. */
    public BundleCodec(Bundle bundle, MemoryBudget budget) {
        this.bundle = bundle;
        this.runtime = ModelRuntime.open(bundle, budget);
        this.quantizer = new LatentQuantizer((float) bundle.quantMin(), (float) bundle.quantMax());
    }

    public Bundle bundle() {
        return bundle;
    }

    /** Per-stage times of the last {@link #encode} or {@link #decode} call. */
    public StageTimings lastTimings() {
        return lastTimings;
    }

    @Override
    public String bundleName() {
        return bundle.name();
    }

    @Override
    public byte[] encode(RgbImage image, EncodeOptions options) {
        StageTimings t = new StageTimings();
        lastTimings = t;
        RgbImage padded = t.time("pad", () -> Padding.padToMultiple(image, bundle.alignment()));
        Latent latent = t.time("vae-encode", () -> runtime.autoencoder().encode(padded));
        PaletteLatent palette = t.time("palette+dither",
                () -> paletteQuantizer.quantize(latent, quantizer, options.colors(), options.dither()));
        SdcHeader header = new SdcHeader(image.width(), image.height(), bundle.name(), bundle.fingerprint(),
                bundle.channels(), bundle.factor(), latent.width(), latent.height(), SdcHeader.MODE_PALETTE,
                (float) bundle.quantMin(), (float) bundle.quantMax(),
                options.strength() != null ? options.strength() : bundle.defaultStrength(options.colors()),
                options.steps() != null ? options.steps() : bundle.defaultSteps(options.colors()));
        return t.time("entropy-code", () -> SdcWriter.write(new SdcFile(header, palette)));
    }

    @Override
    public RgbImage decode(byte[] sdcFile, DecodeOptions options) {
        StageTimings t = new StageTimings();
        lastTimings = t;
        SdcFile file = t.time("entropy-decode", () -> SdcReader.read(sdcFile));
        SdcHeader h = file.header();
        checkBundle(h);
        Latent latent = t.time("dequantize", () -> paletteQuantizer.dequantize(file.latent(), quantizer));
        float strength = options.strength() != null ? options.strength() : h.strength();
        int steps = options.steps() != null ? options.steps() : h.steps();
        if (options.denoise() && strength > 0 && steps > 0) {
            Optional<LatentDenoiser> denoiser = runtime.denoiser();
            if (denoiser.isPresent()) {
                Latent noisy = latent;
                latent = t.time("unet-denoise", () -> denoiser.get().denoise(noisy, strength, steps));
            }
        }
        Latent clean = latent;
        RgbImage padded = t.time("vae-decode", () -> runtime.autoencoder().decode(clean));
        return t.time("crop", () -> Padding.crop(padded, h.width(), h.height()));
    }

    @Override
    public int[] latentShape(int width, int height) {
        return new int[] {bundle.channels(), Padding.alignUp(height, bundle.alignment()) / bundle.factor(),
                Padding.alignUp(width, bundle.alignment()) / bundle.factor()};
    }

    @Override
    public RgbImage autoencode(RgbImage image) {
        StageTimings t = new StageTimings();
        lastTimings = t;
        RgbImage padded = t.time("pad", () -> Padding.padToMultiple(image, bundle.alignment()));
        Latent latent = t.time("vae-encode", () -> runtime.autoencoder().encode(padded));
        RgbImage decoded = t.time("vae-decode", () -> runtime.autoencoder().decode(latent));
        return t.time("crop", () -> Padding.crop(decoded, image.width(), image.height()));
    }

    /** A file is decodable only with the bundle it was made with: same fingerprint, same latent geometry. */
    private void checkBundle(SdcHeader h) {
        if (!Arrays.equals(h.fingerprint(), bundle.fingerprint())) {
            throw new ModelException("file was made with bundle '" + h.bundleName() + "' (fingerprint "
                    + HexFormat.of().formatHex(h.fingerprint()) + ") but the loaded bundle is '" + bundle.name()
                    + "' (" + bundle.fingerprintHex() + "); pass --model with the right bundle");
        }
        int[] expect = latentShape(h.width(), h.height());
        if (h.channels() != expect[0] || h.factor() != bundle.factor()
                || h.latentHeight() != expect[1] || h.latentWidth() != expect[2]) {
            throw new SdcException(ExitCode.BAD_INPUT, "corrupt file: latent geometry " + h.channels() + "x"
                    + h.latentHeight() + "x" + h.latentWidth() + " does not fit a " + h.width() + "x" + h.height()
                    + " image for bundle '" + bundle.name() + "'");
        }
    }

    @Override
    public void close() {
        runtime.close();
    }
}
