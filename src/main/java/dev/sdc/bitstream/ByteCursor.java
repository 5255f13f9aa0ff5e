package dev.sdc.bitstream;

import java.util.function.Function;

/**
 * Big-endian reads from a byte array up to a limit; a read past it throws the reader's own exception
 * ({@link FormatException} for .sdc files, IllegalArgumentException for the bundle's prior.bin).
 */
public final class ByteCursor {
    private final byte[] data;
    private final int limit;
    private final Function<String, RuntimeException> truncated;
    private int pos;

    /** A cursor for .sdc bytes: truncation is a {@link FormatException}. */
    ByteCursor(byte[] data, int limit) {
        this(data, 0, limit, FormatException::new);
    }

    /** Reads {@code data[start, limit)}; {@code truncated} makes the exception for a read past the limit. */
    public ByteCursor(byte[] data, int start, int limit, Function<String, RuntimeException> truncated) {
        if (start < 0 || start > limit || limit > data.length) {
            throw new IllegalArgumentException("range " + start + ".." + limit + " of " + data.length + " bytes");
        }
        this.data = data;
        this.pos = start;
        this.limit = limit;
        this.truncated = truncated;
    }

    /** The whole array this cursor reads (for payload formats that decode in place). */
    byte[] array() {
        return data;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return limit - pos;
    }

    /** Throws unless {@code n} more bytes can be read (e.g. before allocating for them). */
    public void need(long n) {
        if (n > limit - pos) {
            throw truncated.apply("truncated at byte " + limit);
        }
    }

    public int u8() {
        need(1);
        return data[pos++] & 0xFF;
    }

    public int u16() {
        need(2);
        int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    public long u32() {
        need(4);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (data[pos++] & 0xFF);
        }
        return v;
    }

    float f32() {
        return Float.intBitsToFloat((int) u32());
    }

    byte[] bytes(int n) {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(data, pos, out, 0, n);
        pos += n;
        return out;
    }

    void skip(int n) {
        need(n);
        pos += n;
    }
}
