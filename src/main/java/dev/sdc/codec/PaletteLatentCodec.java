package dev.sdc.codec;

import dev.sdc.bitstream.LatentPayload;
import dev.sdc.bitstream.PalettePayload;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.latent.LatentQuantizer;
import dev.sdc.latent.PaletteQuantizer;
import dev.sdc.model.Bundle;
import dev.sdc.model.Latent;

import java.util.function.Function;

/** Mode 0: 8-bit codes, a latent palette with Floyd–Steinberg dithering, the adaptive index coder. */
final class PaletteLatentCodec implements LatentCodec {
    private final Bundle bundle;
    private final LatentQuantizer quantizer;
    private final PaletteQuantizer paletteQuantizer = new PaletteQuantizer();

    PaletteLatentCodec(Bundle bundle) {
        this.bundle = bundle;
        this.quantizer = new LatentQuantizer((float) bundle.quantMin(), (float) bundle.quantMax());
    }

    @Override
    public QuantizerMode mode() {
        return QuantizerMode.PALETTE;
    }

    @Override
    public LatentPayload compress(Latent latent, EncodeOptions options) {
        return new PalettePayload(paletteQuantizer.quantize(latent, quantizer, options.colors(), options.dither()));
    }

    @Override
    public Latent reconstruct(SdcHeader header, LatentPayload payload) {
        return paletteQuantizer.dequantize(((PalettePayload) payload).latent(), quantizer);
    }

    @Override
    public DenoiseDefault denoiseDefault(EncodeOptions options) {
        return new DenoiseDefault(bundle.defaultStrength(options.colors()), bundle.defaultSteps(options.colors()));
    }

    @Override
    public RateControlled fit(RateTarget target, int width, int height, EncodeOptions base,
            Function<EncodeOptions, byte[]> compressor) {
        return new PaletteRateControl(compressor).encode(target, width, height, base);
    }
}
