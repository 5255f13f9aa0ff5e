package dev.sdc.bitstream;

/**
 * The payload of a .sdc file: what one quantizer mode stores after the header (docs/FORMAT.md). Each mode
 * has one record type and one {@link PayloadFormat} that reads and writes it; the header's {@code mode}
 * field selects the format, so the container code has no per-mode branches.
 */
public interface LatentPayload {
    /** The header's {@code mode} value for this payload. */
    int mode();

    /** Whether the payload fits a latent of this shape (channels, width, height of the header). */
    boolean fits(SdcHeader header);
}
