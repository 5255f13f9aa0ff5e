package dev.sdc.bitstream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sdc.ExitCode;
import dev.sdc.SdcException;

import java.util.zip.CRC32;

/**
 * Coverage-guided fuzzing of {@link SdcReader#read(byte[])} (README "Fuzzing"). {@code mvn test} replays the seed
 * corpus in {@code src/test/resources/dev/sdc/bitstream/SdcReaderFuzzTestInputs/<method>/} (valid small files
 * made by {@code scripts/fuzz --seeds}, plus every crash ever found); {@code JAZZER_FUZZ=1} fuzzes for
 * {@link #CI_DURATION} ({@code scripts/fuzz} for longer). The only acceptable failure is a
 * {@link FormatException} (exit code 3); anything else, an OutOfMemoryError or a hang is a finding.
 */
class SdcReaderFuzzTest {
    /** Length of one fuzzing run in CI; scripts/fuzz runs the same targets for as long as it is told. */
    static final String CI_DURATION = "30s";

    @FuzzTest(maxDuration = CI_DURATION)
    void read(byte[] data) {
        readOrReject(data);
    }

    /**
     * The same with the trailing CRC-32 recomputed, so that mutations reach the header bounds, the palette and
     * the index decoder instead of stopping at the checksum.
     */
    @FuzzTest(maxDuration = CI_DURATION)
    void readWithValidCrc(byte[] data) {
        readOrReject(withValidCrc(data));
    }

    /** {@code data} with its last four bytes replaced by the big-endian CRC-32 of the bytes before them. */
    static byte[] withValidCrc(byte[] data) {
        byte[] fixed = data.clone();
        if (fixed.length >= SdcFormat.CRC_BYTES) {
            int end = fixed.length - SdcFormat.CRC_BYTES;
            CRC32 crc = new CRC32();
            crc.update(fixed, 0, end);
            long v = crc.getValue();
            for (int i = 0; i < SdcFormat.CRC_BYTES; i++) {
                fixed[end + i] = (byte) (v >>> (8 * (SdcFormat.CRC_BYTES - 1 - i)));
            }
        }
        return fixed;
    }

    private static void readOrReject(byte[] data) {
        try {
            SdcFile file = SdcReader.read(data);
            if (file.payload() instanceof ScalarPayload p) {
                // mode 1: the stream is decoded with the bundle's prior (PreNetworkDecodeFuzzTest); here its bounds
                if (p.coded().length < SdcFormat.MIN_CODED || p.rateFactor() < 1 || p.level() > ScalarPayload.MAX_LEVEL) {
                    throw new AssertionError("scalar payload out of bounds: " + p);
                }
                return;
            }
            // A file that parses must be self-consistent: as many indices as latent pixels, all in the palette.
            int[] indices = file.latent().indices();
            if (indices.length != file.header().latentWidth() * file.header().latentHeight()) {
                throw new AssertionError("index count " + indices.length + " does not match the header");
            }
            for (int i : indices) {
                if (i < 0 || i >= file.latent().paletteSize()) {
                    throw new AssertionError("index " + i + " outside a palette of " + file.latent().paletteSize());
                }
            }
        } catch (FormatException e) {
            if (e.exitCode() != ExitCode.BAD_INPUT || e.getMessage() == null || e.getMessage().contains("\n")) {
                throw new AssertionError("FormatException without a one-line bad-input message", e);
            }
        } catch (SdcException e) {
            throw new AssertionError("the in-memory reader must only throw FormatException", e);
        }
    }
}
