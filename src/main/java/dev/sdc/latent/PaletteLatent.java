package dev.sdc.latent;

import java.util.Objects;

/**
 * A latent image reduced to a palette: {@code paletteSize} entries of {@code channels} 8-bit codes each, and
 * one palette index per latent pixel (row-major). This is what the bitstream stores in palette mode.
 *
 * @param channels    latent channels C
 * @param width       latent width
 * @param height      latent height
 * @param palette     {@code paletteSize * channels} codes 0..255, entry-major
 * @param paletteSize number of entries, 1..256
 * @param indices     {@code width * height} indices, each in [0, paletteSize)
 */
public record PaletteLatent(int channels, int width, int height, byte[] palette, int paletteSize, int[] indices) {
    public PaletteLatent {
        Objects.requireNonNull(palette, "palette");
        Objects.requireNonNull(indices, "indices");
        if (channels < 1 || width < 1 || height < 1) {
            throw new IllegalArgumentException("bad latent shape " + channels + "x" + height + "x" + width);
        }
        if (paletteSize < 1 || paletteSize > 256 || palette.length != paletteSize * channels) {
            throw new IllegalArgumentException("bad palette: " + paletteSize + " entries, " + palette.length + " bytes");
        }
        if (indices.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " indices, got " + indices.length);
        }
    }

    /** 8-bit code of channel c of palette entry i. */
    public int code(int entry, int c) {
        return palette[entry * channels + c] & 0xFF;
    }
}
