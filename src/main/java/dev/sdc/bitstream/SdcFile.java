package dev.sdc.bitstream;

import dev.sdc.latent.PaletteLatent;
import java.util.Objects;

/**
 * A whole .sdc file: header, optional photo metadata, and the payload of the header's quantizer mode. The
 * payload's mode and shape must match the header.
 */
public record SdcFile(SdcHeader header, SdcMetadata metadata, LatentPayload payload) {
    public SdcFile {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(payload, "payload");
        if (payload.mode() != header.mode()) {
            throw new IllegalArgumentException("mode-" + payload.mode() + " payload under a mode-" + header.mode()
                    + " header");
        }
        if (!payload.fits(header)) {
            throw new IllegalArgumentException("payload " + payload + " does not match header " + header);
        }
    }

    /** A palette-mode file. */
    public SdcFile(SdcHeader header, SdcMetadata metadata, PaletteLatent latent) {
        this(header, metadata, new PalettePayload(latent));
    }

    /** A palette-mode file without metadata. */
    public SdcFile(SdcHeader header, PaletteLatent latent) {
        this(header, SdcMetadata.NONE, latent);
    }

    /** A file without metadata. */
    public SdcFile(SdcHeader header, LatentPayload payload) {
        this(header, SdcMetadata.NONE, payload);
    }

    /** This file with {@code metadata} instead of its own. */
    public SdcFile withMetadata(SdcMetadata metadata) {
        return new SdcFile(header, metadata, payload);
    }

    /**
     * The palette latent of a mode-0 file.
     *
     * @throws IllegalStateException for a file of another mode
     */
    public PaletteLatent latent() {
        if (!(payload instanceof PalettePayload p)) {
            throw new IllegalStateException("a mode-" + header.mode() + " file has no palette");
        }
        return p.latent();
    }

    /** Same header, metadata and payload (palette and indices, or scalar fields and stream). */
    public boolean sameContent(SdcFile other) {
        return header.equals(other.header) && metadata.equals(other.metadata) && payload.equals(other.payload);
    }
}
