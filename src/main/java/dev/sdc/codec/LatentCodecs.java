package dev.sdc.codec;

import dev.sdc.model.Bundle;
import dev.sdc.model.ModelException;

import java.util.EnumMap;
import java.util.Map;

/** The quantizer modes one bundle supports, looked up by the header's mode field or the encode options. */
final class LatentCodecs {
    private final Bundle bundle;
    private final Map<QuantizerMode, LatentCodec> byMode = new EnumMap<>(QuantizerMode.class);

    LatentCodecs(Bundle bundle) {
        this.bundle = bundle;
        byMode.put(QuantizerMode.PALETTE, new PaletteLatentCodec(bundle));
        ScalarLatentCodec.of(bundle).ifPresent(s -> byMode.put(QuantizerMode.SCALAR, s));
    }

    boolean supports(QuantizerMode mode) {
        return byMode.containsKey(mode);
    }

    /**
     * The pair for {@code mode}.
     *
     * @throws ModelException (exit 4) if this bundle does not support the mode
     */
    LatentCodec of(QuantizerMode mode) {
        LatentCodec c = byMode.get(mode);
        if (c == null) {
            throw new ModelException(mode.unsupportedBy(bundle.name(), BundleCodec.BUNDLE_HINT));
        }
        return c;
    }

    /** The pair of a file's header mode (a mode the container accepts always has a {@link QuantizerMode}). */
    LatentCodec ofHeader(int mode) {
        return of(QuantizerMode.of(mode));
    }
}
