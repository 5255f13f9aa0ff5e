package dev.sdc.latent;

import dev.sdc.bitstream.FormatException;
import dev.sdc.model.Latent;

/**
 * Turns a raw latent into a {@link PaletteLatent} and back: 8-bit codes → palette of at most N colours
 * ({@link PaletteBuilder}) → per-pixel indices by Floyd–Steinberg dithering or nearest colour; decoding is a
 * palette lookup followed by {@link LatentQuantizer#value}.
 *
 * <p>The palette is built from the rounded codes, but pixels are mapped from their unrounded code positions
 * so dithering also diffuses the 8-bit rounding error.
 */
public final class PaletteQuantizer {
    private final PaletteBuilder builder;

    public PaletteQuantizer() {
        this(new PaletteBuilder());
    }

    public PaletteQuantizer(PaletteBuilder builder) {
        this.builder = builder;
    }

    /**
     * @param maxColors palette size limit, 1..256
     * @param dither    Floyd–Steinberg (serpentine) if true, else nearest colour
     * @throws IllegalArgumentException if maxColors is out of range or the latent has more than 16 channels
     */
    public PaletteLatent quantize(Latent raw, LatentQuantizer q, int maxColors, boolean dither) {
        int c = raw.channels();
        Palette palette = builder.build(q.codes(raw), c, maxColors);
        Ditherer mapper = dither ? new FloydSteinbergDitherer() : new NearestColorMapper();
        int[] indices = mapper.map(q.positions(raw), raw.width(), raw.height(), palette);
        return new PaletteLatent(c, raw.width(), raw.height(), palette.toBytes(), palette.size(), indices);
    }

    /**
     * Palette lookup back to a planar raw latent.
     *
     * @throws FormatException if an index is outside the palette (the latent came from a corrupt file)
     */
    public Latent dequantize(PaletteLatent p, LatentQuantizer q) {
        int c = p.channels();
        int n = p.width() * p.height();
        // Per-entry raw values once, instead of per pixel.
        float[] values = new float[p.paletteSize() * c];
        for (int i = 0; i < p.paletteSize(); i++) {
            for (int k = 0; k < c; k++) {
                values[i * c + k] = q.value(p.code(i, k));
            }
        }
        float[] data = new float[n * c];
        int[] indices = p.indices();
        for (int px = 0; px < n; px++) {
            int index = indices[px];
            if (index < 0 || index >= p.paletteSize()) {
                throw new FormatException("palette index " + index + " at pixel " + px + " is outside the palette of "
                        + p.paletteSize() + " entries");
            }
            for (int k = 0; k < c; k++) {
                data[k * n + px] = values[index * c + k];
            }
        }
        return new Latent(c, p.height(), p.width(), data);
    }
}
