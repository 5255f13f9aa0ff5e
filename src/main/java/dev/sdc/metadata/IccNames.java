package dev.sdc.metadata;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The description ('desc' tag) of an ICC profile, version 2 ('desc' type) or 4 ('mluc' type). */
final class IccNames {
    private IccNames() {
    }

    /** The profile's description, or null if there is no profile or it has none; never throws. */
    static String describe(byte[] icc) {
        try {
            return find(icc);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String find(byte[] icc) {
        if (icc == null || icc.length < 132) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(icc);
        int count = b.getInt(128);
        for (int i = 0; i < count && 132 + 12 * i + 12 <= icc.length; i++) {
            int p = 132 + 12 * i;
            if (b.getInt(p) != 0x64657363) { // 'desc'
                continue;
            }
            int off = b.getInt(p + 4), len = b.getInt(p + 8);
            if (off < 0 || len < 12 || off + (long) len > icc.length) {
                return null;
            }
            int type = b.getInt(off);
            String s;
            if (type == 0x64657363) { // 'desc': u32 count, then ASCII with its NUL
                int n = Math.min(b.getInt(off + 8), len - 12);
                s = n > 0 ? new String(icc, off + 12, n, StandardCharsets.ISO_8859_1) : "";
            } else if (type == 0x6D6C7563) { // 'mluc': first record
                int recOff = b.getInt(off + 20), recLen = b.getInt(off + 16);
                if (recOff < 0 || recLen < 0 || recOff + (long) recLen > len) {
                    return null;
                }
                s = new String(icc, off + recOff, recLen, StandardCharsets.UTF_16BE);
            } else {
                return null;
            }
            s = s.replace("\0", "").replaceAll("\\p{Cntrl}", " ").trim();
            if (s.isEmpty()) {
                return null;
            }
            return s.length() > 80 ? s.substring(0, 80) : s; // well under the format's 255 UTF-8 bytes
        }
        return null;
    }
}
