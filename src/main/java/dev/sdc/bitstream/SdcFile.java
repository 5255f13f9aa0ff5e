package dev.sdc.bitstream;

import dev.sdc.latent.PaletteLatent;
import java.util.Arrays;
import java.util.Objects;

/**
 * A whole .sdc file: header, optional photo metadata, and the palette-mode payload. The payload's shape must
 * match the header (channels, latent width and height).
 */
public record SdcFile(SdcHeader header, SdcMetadata metadata, PaletteLatent latent) {
    public SdcFile {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(latent, "latent");
        if (latent.channels() != header.channels() || latent.width() != header.latentWidth()
                || latent.height() != header.latentHeight()) {
            throw new IllegalArgumentException("latent " + latent.channels() + "x" + latent.height() + "x"
                    + latent.width() + " does not match header " + header);
        }
    }

    /** A file without metadata. */
    public SdcFile(SdcHeader header, PaletteLatent latent) {
        this(header, SdcMetadata.NONE, latent);
    }

    /** This file with {@code metadata} instead of its own. */
    public SdcFile withMetadata(SdcMetadata metadata) {
        return new SdcFile(header, metadata, latent);
    }

    /** Same header, metadata and the same palette and indices (PaletteLatent holds arrays, so its equals is identity). */
    public boolean sameContent(SdcFile other) {
        PaletteLatent a = latent, b = other.latent;
        return header.equals(other.header) && metadata.equals(other.metadata) && a.paletteSize() == b.paletteSize()
                && Arrays.equals(a.palette(), b.palette()) && Arrays.equals(a.indices(), b.indices());
    }
}
