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

/** {@code --look NAME}: which of the bundle's decoders renders the image (docs/MODELS.md, looks). */
final class LookOptions {
    @Option(names = "--look", paramLabel = "NAME",
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
     * What {@code sdc info} prints after "looks:" for a file with {@code header}: the looks of the bundle
     * {@code modelDir} names (null: {@code $SDC_MODEL}, else the built-in one) when it made the file. Reads and
     * verifies the manifest only, never a network. Without {@code --model} a bundle that cannot be loaded or
     * did not make the file prints nothing (info stays a header dump); a named one that did not make it says so.
     *
     * @throws SdcException ({@link dev.sdc.ExitCode#MODEL}) if the named bundle cannot be loaded
     */
    static Optional<String> infoLine(Path modelDir, SdcHeader header) {
        Bundle bundle = loadForInfo(modelDir);
        if (bundle == null) {
            return Optional.empty();
        }
        if (Arrays.equals(bundle.fingerprint(), header.fingerprint())) {
            return Optional.of(String.join(", ", bundle.looks()));
        }
        return modelDir == null ? Optional.empty() : Optional.of("unknown (bundle " + modelDir + " is '" + bundle.name()
                + "', fingerprint " + bundle.fingerprintHex() + ": it did not make this file)");
    }

    /** The bundle {@code modelDir} names (or the default), if it made the file; manifest only, no network. */
    static Optional<Bundle> matchingBundle(Path modelDir, SdcHeader header) {
        Bundle bundle = loadForInfo(modelDir);
        return bundle != null && Arrays.equals(bundle.fingerprint(), header.fingerprint())
                ? Optional.of(bundle) : Optional.empty();
    }

    /** The bundle for {@code sdc info}: a named one must load; the default may be absent (null). */
    private static Bundle loadForInfo(Path modelDir) {
        try {
            return DefaultBundle.load(modelDir);
        } catch (SdcException e) {
            if (modelDir != null) {
                throw e;
            }
            return null;
        }
    }

    /** For the per-file report line: ", look sharp", or nothing for the default look. */
    String note() {
        return look == null || Bundle.FAITHFUL_LOOK.equals(look) ? "" : ", look " + look;
    }
}
