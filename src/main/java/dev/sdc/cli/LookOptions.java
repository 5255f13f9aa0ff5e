package dev.sdc.cli;

import dev.sdc.SdcException;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.DecodeOptions;
import dev.sdc.model.Bundle;
import dev.sdc.model.DefaultBundle;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** {@code --look LOOK}: which of the bundle's decoders renders the image (docs/MODELS.md, looks). */
final class LookOptions {
    @Option(names = "--look", paramLabel = "LOOK", completionCandidates = dev.sdc.model.Bundle.CommonLooks.class,
            description = "Decoder look: faithful (the bundle's decoder.pt, default) or another look the bundle "
                    + "offers, e.g. sharp ('sdc info --model DIR FILE' lists them).")
    String look;

    /** {@code options} with the chosen look. */
    DecodeOptions apply(DecodeOptions options) {
        return options.withLook(look);
    }

    /** The codec, once it is known to offer the look: an unknown look fails the command before any file (exit 2). */
    BundleCodec check(BundleCodec codec) {
        if (look != null) {
            try {
                codec.requireLook(look);
            } catch (SdcException e) {
                throw new SdcException(e.exitCode(), "--look: " + e.getMessage(), e);
            }
        }
        return codec;
    }

    /**
     * The bundle {@code sdc info} describes a file with: the one {@code modelDir} names (null: {@code $SDC_MODEL},
     * else the built-in one). Reads and verifies the manifest only, never a network. Without {@code --model} a
     * bundle that cannot be loaded is null (info stays a header dump).
     *
     * @throws SdcException ({@link dev.sdc.ExitCode#MODEL}) if the named bundle cannot be loaded
     */
    static Bundle loadForInfo(Path modelDir) {
        try {
            return DefaultBundle.load(modelDir);
        } catch (SdcException e) {
            if (modelDir != null) {
                throw e;
            }
            return null;
        }
    }

    /**
     * What {@code sdc info} prints after "looks:" for a file with {@code header}: the looks of {@code bundle}
     * (from {@link #loadForInfo}) when it made the file. Without {@code --model} a bundle that is absent or did
     * not make the file prints nothing; a named one that did not make it says so.
     */
    static Optional<String> infoLine(Path modelDir, Bundle bundle, SdcHeader header) {
        if (bundle == null) {
            return Optional.empty();
        }
        if (madeFile(bundle, header)) {
            return Optional.of(String.join(", ", bundle.looks()));
        }
        return modelDir == null ? Optional.empty() : Optional.of("unknown (bundle " + modelDir + " is '" + bundle.name()
                + "', fingerprint " + bundle.fingerprintHex() + ": it did not make this file)");
    }

    /** Whether {@code bundle} (possibly null) made the file with {@code header} (same fingerprint). */
    static boolean madeFile(Bundle bundle, SdcHeader header) {
        return bundle != null && Arrays.equals(bundle.fingerprint(), header.fingerprint());
    }

    /** For the per-file report line: ", look sharp", or nothing for the default look. */
    String note() {
        return look == null || Bundle.FAITHFUL_LOOK.equals(look) ? "" : ", look " + look;
    }
}
