package dev.sdc.bitstream;

import dev.sdc.latent.PaletteLatent;
import java.util.Arrays;
import java.util.Objects;

/** Mode 0's payload: a palette of latent colours and one index per latent pixel. */
public record PalettePayload(PaletteLatent latent) implements LatentPayload {
    public PalettePayload {
        Objects.requireNonNull(latent, "latent");
    }

    @Override
    public int mode() {
        return SdcHeader.MODE_PALETTE;
    }

    @Override
    public boolean fits(SdcHeader h) {
        return latent.channels() == h.channels() && latent.width() == h.latentWidth()
                && latent.height() == h.latentHeight();
    }

    /** Same palette and indices (PaletteLatent holds arrays, so its equals is identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof PalettePayload p && latent.paletteSize() == p.latent.paletteSize()
                && Arrays.equals(latent.palette(), p.latent.palette()) && Arrays.equals(latent.indices(), p.latent.indices());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(latent.indices());
    }
}
