package dev.sdc.bitstream;

/**
 * The byte side shared by the range decoders ({@link RangeDecoder}, {@code scalar.FrequencyRangeDecoder})
 * over {@code data[offset, offset+length)}: the leading 0 byte, bounded reads, and the end condition.
 * Every violation is a {@link FormatException} naming the stream ("index", "latent").
 */
public final class RangeCoderInput {
    private final byte[] data;
    private final int end;
    private final String stream;
    private int pos;

    /** Checks the length (the encoder's flush alone is 5 bytes) and the leading 0 byte. */
    public RangeCoderInput(byte[] data, int offset, int length, String stream) {
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
        this.stream = stream;
        if (length < 5) {
            throw new FormatException(stream + " stream too short: " + length + " bytes (minimum 5)");
        }
        if (data[pos++] != 0) {
            throw new FormatException(stream + " stream: first byte not 0");
        }
    }

    /** The next byte, 0 … 255. */
    public int next() {
        if (pos >= end) {
            throw new FormatException(stream + " stream runs past its end");
        }
        return data[pos++] & 0xFF;
    }

    /** Checks that every byte was consumed and that the decoder's code register ended at 0. */
    public void finish(boolean codeIsZero) {
        if (pos != end) {
            throw new FormatException(stream + " stream: " + (end - pos) + " unused bytes");
        }
        if (!codeIsZero) {
            throw new FormatException(stream + " stream: bad final state");
        }
    }
}
