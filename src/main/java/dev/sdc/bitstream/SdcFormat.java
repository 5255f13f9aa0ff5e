package dev.sdc.bitstream;

/** Constants of the .sdc container shared by {@link SdcWriter} and {@link SdcReader}. */
final class SdcFormat {
    static final byte[] MAGIC = {(byte) 0x89, 'S', 'D', 'C'};
    static final int VERSION = 1;
    /** Header with a 1-character bundle name, through {@code steps}. */
    static final int MIN_HEADER = 4 + 1 + 1 + 4 + 4 + 1 + 1 + 8 + 1 + 1 + 2 + 2 + 1 + 4 + 4 + 4 + 2;
    /**
     * Smallest payload of any mode: mode 0 with N = 1, C = 1 and a 5-byte index stream, and mode 1 with a
     * 5-byte coded latent, are both 12 bytes ({@link PayloadFormats#MIN_BYTES}; a test keeps them equal).
     */
    static final int MIN_PAYLOAD = 2 + 1 + 4 + 5;
    static final int CRC_BYTES = 4;
    /** flags bit 0: a metadata section follows the header. */
    static final int FLAG_METADATA = 0x01;
    static final int MIN_FILE = MIN_HEADER + MIN_PAYLOAD + CRC_BYTES;
    static final int MIN_CODED = 5;

    private SdcFormat() {
    }
}
