package dev.sdc.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.model.Bundle;
import dev.sdc.model.Latent;
import dev.sdc.model.ModelException;

import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Fuzzes everything {@link BundleCodec#decode} does before the networks run ({@link BundleCodec#readLatent}:
 * reader, header-against-bundle checks, palette lookup and dequantisation) with the test bundle, whose
 * networks are never loaded. Seeds: files made with that bundle ({@code scripts/fuzz --seeds}). Accepted
 * outcomes: a latent with the bundle's channels and values in its quantisation range, a FormatException
 * or another bad-input {@link SdcException}, or a {@link ModelException} for a file of another bundle.
 * The {@code Scalar} targets do the same with the scalar test bundle (quantizer mode 1: the prior-driven
 * range decoder and dequantisation), seeded with its mode-1 files.
 */
class PreNetworkDecodeFuzzTest {
    private static final BundleCodec CODEC = new BundleCodec(Bundle.load(Path.of("testdata", "bundles", "test")));
    private static final BundleCodec SCALAR = new BundleCodec(Bundle.load(Path.of("testdata", "bundles", "test-scalar")));

    @FuzzTest(maxDuration = "30s")
    void readLatent(byte[] data) {
        decodeOrReject(CODEC, data);
    }

    @FuzzTest(maxDuration = "30s")
    void readScalarLatent(byte[] data) {
        decodeOrReject(SCALAR, data);
    }

    @FuzzTest(maxDuration = "30s")
    void readScalarLatentWithValidCrc(byte[] data) {
        decodeOrReject(SCALAR, withValidCrc(data));
    }

    /** The same with the trailing CRC-32 made valid, so that mutations get past the checksum. */
    @FuzzTest(maxDuration = "30s")
    void readLatentWithValidCrc(byte[] data) {
        decodeOrReject(CODEC, withValidCrc(data));
    }

    private static byte[] withValidCrc(byte[] data) {
        byte[] fixed = data.clone();
        if (fixed.length >= 4) {
            CRC32 crc = new CRC32();
            crc.update(fixed, 0, fixed.length - 4);
            long v = crc.getValue();
            for (int i = 0; i < 4; i++) {
                fixed[fixed.length - 4 + i] = (byte) (v >>> (24 - 8 * i));
            }
        }
        return fixed;
    }

    private static void decodeOrReject(BundleCodec codec, byte[] data) {
        try {
            Latent latent = codec.readLatent(data);
            if (latent.channels() != codec.bundle().channels()) {
                throw new AssertionError("latent has " + latent.channels() + " channels, bundle "
                        + codec.bundle().channels());
            }
            float lo = (float) codec.bundle().quantMin();
            float hi = (float) codec.bundle().quantMax();
            for (float v : latent.data()) {
                if (!(v >= lo && v <= hi)) {
                    throw new AssertionError("dequantised value " + v + " outside " + lo + ".." + hi);
                }
            }
        } catch (ModelException e) {
            if (e.exitCode() != ExitCode.MODEL) {
                throw new AssertionError("ModelException with exit code " + e.exitCode(), e);
            }
        } catch (SdcException e) {
            if (e.exitCode() != ExitCode.BAD_INPUT || e.getMessage() == null || e.getMessage().contains("\n")) {
                throw new AssertionError("SdcException without a one-line bad-input message", e);
            }
        }
    }
}
