package dev.sdc.bitstream;

import dev.sdc.latent.PaletteLatent;
import java.util.Arrays;
import java.util.Objects;

/**
 * A whole .sdc file: header plus the palette-mode payload. The payload's shape must match the header
 * (channels, latent width and height).
 */
public record SdcFile(SdcHeader header, PaletteLatent latent) {
    public SdcFile {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(latent, "latent");
        if (latent.channels() != header.channels() || latent.width() != header.latentWidth()
                || latent.height() != header.latentHeight()) {
            throw new IllegalArgumentException("latent " + latent.channels() + "x" + latent.height() + "x"
                    + latent.width() + " does not match header " + header);
        }
    }

    /** Same header and the same palette and indices (PaletteLatent holds arrays, so its equals is identity). */
    public boolean sameContent(SdcFile other) {
        PaletteLatent a = latent, b = other.latent;
        return header.equals(other.header) && a.paletteSize() == b.paletteSize()
                && Arrays.equals(a.palette(), b.palette()) && Arrays.equals(a.indices(), b.indices());
    }
}
