package dev.sdc.bitstream;

import java.util.List;

/** The payload format of each quantizer mode, looked up by the header's mode field. */
final class PayloadFormats {
    private static final List<PayloadFormat> FORMATS = List.of(new PaletteFormat(), new ScalarFormat());
    /** The smallest payload of any mode: bounds the smallest file and the room a metadata section leaves. */
    static final int MIN_BYTES = FORMATS.stream().mapToInt(PayloadFormat::minBytes).min().orElseThrow();

    private PayloadFormats() {
    }

    static boolean known(int mode) {
        return mode >= 0 && mode < FORMATS.size();
    }

    /** @throws FormatException for a mode this version does not define */
    static PayloadFormat of(int mode) {
        if (!known(mode)) {
            throw new FormatException("unsupported quantizer mode " + mode + " (this sdc reads modes 0 and 1)");
        }
        return FORMATS.get(mode);
    }
}
