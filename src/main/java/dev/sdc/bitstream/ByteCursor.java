package dev.sdc.bitstream;

/** Big-endian reads from a byte array that report truncation as a {@link FormatException}. */
final class ByteCursor {
    private final byte[] data;
    private final int limit;
    private int pos;

    ByteCursor(byte[] data, int limit) {
        this.data = data;
        this.limit = limit;
    }

    /** The whole array this cursor reads (for payload formats that decode in place). */
    byte[] array() {
        return data;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return limit - pos;
    }

    private void need(int n) {
        if (n > limit - pos) {
            throw new FormatException("truncated at byte " + limit);
        }
    }

    int u8() {
        need(1);
        return data[pos++] & 0xFF;
    }

    int u16() {
        need(2);
        int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    long u32() {
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
