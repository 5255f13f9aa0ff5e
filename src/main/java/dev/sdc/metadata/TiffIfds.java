package dev.sdc.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A bounded reader and a writer for the IFD structure of EXIF (a TIFF stream). Entries keep their value
 * bytes verbatim, so re-laying an EXIF block out never reinterprets a value; only the offsets change.
 *
 * <p>Why by hand: TwelveMonkeys 3.12's {@code TIFFReader}/{@code TIFFWriter} round trip lost the value of
 * LensModel (0xA434) in our tests, and the cleaner must not corrupt what it keeps.
 */
final class TiffIfds {
    static final int EXIF_IFD = 0x8769;
    static final int GPS_IFD = 0x8825;
    static final int INTEROP_IFD = 0xA005;
    private static final int MAX_ENTRIES = 1000;
    private static final int MAX_DEPTH = 4;

    /** One entry: raw value bytes in the stream's byte order, or a sub-IFD; {@code pos}: its place in the source (-1: new). */
    record Entry(int tag, int type, long count, byte[] value, Ifd sub, int pos) {
    }

    /** One IFD, its entries in file order. */
    static final class Ifd {
        final List<Entry> entries = new ArrayList<>();

        Entry find(int tag) {
            for (Entry e : entries) {
                if (e.tag() == tag) {
                    return e;
                }
            }
            return null;
        }

        void remove(int tag) {
            entries.removeIf(e -> e.tag() == tag);
        }

        void put(Entry entry) {
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).tag() == entry.tag()) {
                    entries.set(i, entry);
                    return;
                }
            }
            entries.add(entry);
            entries.sort((a, b) -> Integer.compare(a.tag(), b.tag()));
        }
    }

    /** A parsed stream: byte order, IFD0 (with sub-IFDs) and IFD1 (null when absent). */
    record Parsed(ByteOrder order, Ifd ifd0, Ifd ifd1, long ifd1Offset) {
    }

    /** Thrown for malformed EXIF; the caller turns it into a warning and drops the block. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    private TiffIfds() {
    }

    static int typeSize(int type) {
        return switch (type) {
            case 1, 2, 6, 7 -> 1;
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12 -> 8;
            default -> 0;
        };
    }

    static ByteOrder order(byte[] d) throws MalformedException {
        return order(ByteBuffer.wrap(d));
    }

    private static ByteOrder order(ByteBuffer d) throws MalformedException {
        if (d.limit() < 8) {
            throw new MalformedException("shorter than a TIFF header");
        }
        if (d.get(0) == 'I' && d.get(1) == 'I' && d.get(2) == 42 && d.get(3) == 0) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (d.get(0) == 'M' && d.get(1) == 'M' && d.get(2) == 0 && d.get(3) == 42) {
            return ByteOrder.BIG_ENDIAN;
        }
        throw new MalformedException("no TIFF header");
    }

    /** Parses IFD0 with its EXIF, GPS and interoperability sub-IFDs, and IFD1. Every offset is bounded. */
    static Parsed parse(byte[] d) throws MalformedException {
        return parse(ByteBuffer.wrap(d));
    }

    /**
     * As {@link #parse(byte[])} over a buffer from index 0 to its limit: a whole TIFF file mapped from disk
     * is read where its IFDs are, without copying the strips into the heap.
     */
    static Parsed parse(ByteBuffer d) throws MalformedException {
        ByteOrder order = order(d);
        ByteBuffer b = d.duplicate().order(order);
        Set<Long> visited = new HashSet<>();
        long first = b.getInt(4) & 0xFFFFFFFFL;
        long[] next = new long[1];
        Ifd ifd0 = readIfd(b, first, 0, visited, next);
        Ifd ifd1 = null;
        long ifd1Offset = next[0];
        if (ifd1Offset != 0) {
            ifd1 = readIfd(b, ifd1Offset, 0, visited, new long[1]);
        }
        return new Parsed(order, ifd0, ifd1, ifd1Offset);
    }

    private static Ifd readIfd(ByteBuffer b, long at, int depth, Set<Long> visited, long[] next)
            throws MalformedException {
        int n = b.limit();
        if (depth > MAX_DEPTH || at < 8 || at + 2 > n || !visited.add(at)) {
            throw new MalformedException("bad IFD offset " + at);
        }
        int count = b.getShort((int) at) & 0xFFFF;
        if (count > MAX_ENTRIES || at + 2 + 12L * count + 4 > n) {
            throw new MalformedException("IFD at " + at + " with " + count + " entries overruns the block");
        }
        Ifd ifd = new Ifd();
        for (int i = 0; i < count; i++) {
            int p = (int) at + 2 + 12 * i;
            int tag = b.getShort(p) & 0xFFFF;
            int type = b.getShort(p + 2) & 0xFFFF;
            long cnt = b.getInt(p + 4) & 0xFFFFFFFFL;
            int size = typeSize(type);
            if (size == 0) {
                continue; // unknown type: its size is unknown, so it cannot be moved; drop it
            }
            long len = cnt * size;
            long off = len <= 4 ? p + 8 : b.getInt(p + 8) & 0xFFFFFFFFL;
            if (len > n || off + len > n) {
                throw new MalformedException("tag 0x" + Integer.toHexString(tag) + " value overruns the block");
            }
            byte[] value = new byte[(int) len];
            b.get((int) off, value);
            Ifd sub = null;
            if ((tag == EXIF_IFD || tag == GPS_IFD || tag == INTEROP_IFD) && cnt == 1 && (type == 4 || type == 13)) {
                sub = readIfd(b, b.getInt(p + 8) & 0xFFFFFFFFL, depth + 1, visited, new long[1]);
            }
            ifd.entries.add(new Entry(tag, type, cnt, value, sub, p));
        }
        next[0] = b.getInt((int) at + 2 + 12 * count) & 0xFFFFFFFFL;
        if (next[0] != 0 && (next[0] < 8 || next[0] >= n)) {
            throw new MalformedException("bad next-IFD offset " + next[0]);
        }
        return ifd;
    }

    /** A complete EXIF stream: TIFF header, then {@code ifd0} and its sub-IFDs; no IFD1. */
    static byte[] write(ByteOrder order, Ifd ifd0) {
        byte[] body = layout(order, ifd0, 8);
        ByteBuffer head = ByteBuffer.allocate(8).order(order);
        if (order == ByteOrder.LITTLE_ENDIAN) {
            head.put((byte) 'I').put((byte) 'I');
        } else {
            head.put((byte) 'M').put((byte) 'M');
        }
        head.putShort((short) 42).putInt(8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.array());
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * The bytes of {@code ifd} (next-IFD 0) followed by its values and sub-IFDs, with offsets absolute for a
     * placement at {@code base} (even) in the final stream.
     */
    static byte[] layout(ByteOrder order, Ifd ifd, long base) {
        int head = 2 + 12 * ifd.entries.size() + 4;
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        ByteBuffer dir = ByteBuffer.allocate(head).order(order);
        dir.putShort((short) ifd.entries.size());
        for (Entry e : ifd.entries) {
            dir.putShort((short) e.tag()).putShort((short) e.type()).putInt((int) e.count());
            if (e.sub() != null) {
                long at = base + head + tail.size();
                dir.putInt((int) at);
                tail.writeBytes(layout(order, e.sub(), at));
            } else if (e.value().length <= 4) {
                byte[] v = new byte[4];
                System.arraycopy(e.value(), 0, v, 0, e.value().length);
                dir.put(v);
            } else {
                dir.putInt((int) (base + head + tail.size()));
                tail.writeBytes(e.value());
            }
            if (tail.size() % 2 == 1) {
                tail.write(0); // values start on a word boundary
            }
        }
        dir.putInt(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(dir.array());
        out.writeBytes(tail.toByteArray());
        return out.toByteArray();
    }

    static Entry shortEntry(ByteOrder order, int tag, int value) {
        return new Entry(tag, 3, 1, ByteBuffer.allocate(2).order(order).putShort((short) value).array(), null, -1);
    }

    static Entry longEntry(ByteOrder order, int tag, long value) {
        return new Entry(tag, 4, 1, ByteBuffer.allocate(4).order(order).putInt((int) value).array(), null, -1);
    }

    /** The entry's value as an ASCII string (trailing NULs removed), or null if it is not ASCII. */
    static String ascii(Entry e) {
        if (e == null || e.type() != 2) {
            return null;
        }
        int n = e.value().length;
        while (n > 0 && e.value()[n - 1] == 0) {
            n--;
        }
        return new String(e.value(), 0, n, java.nio.charset.StandardCharsets.ISO_8859_1).trim();
    }
}
