package dev.sdc.bitstream;

import dev.sdc.Plural;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * How one quantizer mode's payload is laid out in the file, between the header (and metadata section) and
 * the CRC. {@link PayloadFormats} maps the header's mode field to its format.
 */
interface PayloadFormat {
    /** The header's mode value. */
    int mode();

    /** The smallest payload this mode can have, in bytes (bounds the metadata section and the file). */
    int minBytes();

    /** Writes {@code payload} (of this mode). */
    void write(LatentPayload payload, DataOutputStream out) throws IOException;

    /**
     * Reads the payload: {@code in} is positioned after the header and metadata section, and the payload
     * must end exactly {@link SdcFormat#CRC_BYTES} before the end of the data. Called after the CRC check
     * only for the part that decodes (see {@link Parsed#decode}).
     */
    Parsed read(ByteCursor in, SdcHeader header);

    /**
     * A payload whose bounds are checked, split so that the CRC is checked before anything is decoded.
     *
     * @param end     offset of the CRC: where the payload ends
     * @param decoder the payload, decoding whatever the container decodes (mode 0: the index stream)
     */
    record Parsed(int end, Supplier<LatentPayload> decoder) {
        LatentPayload decode() {
            return decoder.get();
        }
    }

    /** Makes the payload from the coded stream {@code data[offset, offset + length)}. */
    @FunctionalInterface
    interface StreamDecoder {
        LatentPayload decode(byte[] data, int offset, int length);
    }

    /**
     * The payload's last fields, shared by the modes: a u32 length and the coded stream it announces, which
     * must end exactly before the CRC.
     */
    static Parsed codedStream(ByteCursor in, String what, StreamDecoder decoder) {
        long length = in.u32();
        checkLength(in, length, what, SdcFormat.MIN_CODED);
        int start = in.position();
        byte[] data = in.array();
        return new Parsed(start + (int) length, () -> decoder.decode(data, start, (int) length));
    }

    /** Writes the payload's last fields, as {@link #codedStream} reads them: a u32 length and the stream. */
    static void writeCodedStream(DataOutputStream out, byte[] coded) throws IOException {
        out.writeInt(coded.length);
        out.write(coded);
    }

    /** Checks that a length field leaves exactly the CRC after its bytes. */
    private static void checkLength(ByteCursor in, long length, String what, int min) {
        if (length < min) {
            throw new FormatException(what + " length " + length + " below minimum " + min);
        }
        long available = (long) in.remaining() - SdcFormat.CRC_BYTES;
        if (length > available) {
            throw new FormatException("truncated at byte " + (in.position() + in.remaining()) + " (" + what
                    + " of " + length + " bytes does not fit)");
        }
        if (length < available) {
            throw new FormatException(Plural.count(available - length, "trailing byte") + " after the end of the sdc file");
        }
    }
}
