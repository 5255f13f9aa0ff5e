package dev.sdc.bitstream;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Parses and validates .sdc bytes (docs/FORMAT.md). Every bound is checked before anything sized by it is
 * allocated, the CRC before the payload is decoded; any violation is a {@link FormatException} with a
 * one-line message, never another exception.
 */
public final class SdcReader {
    /** Largest file {@link #read(Path)} accepts. */
    public static final long MAX_FILE_BYTES = 256L << 20;

    private SdcReader() {
    }

    /**
     * Reads a .sdc file from disk.
     *
     * @throws FormatException if it is not a valid .sdc file or larger than {@link #MAX_FILE_BYTES}
     * @throws SdcException    (exit code BAD_INPUT) if it cannot be read
     */
    public static SdcFile read(Path path) {
        return read(readBytes(path));
    }

    /**
     * The bytes of a would-be .sdc file, refusing folders, missing files and anything larger than
     * {@link #MAX_FILE_BYTES} before reading it into memory. Read through a stream with a bound, so a named
     * device or pipe ({@code /dev/zero}, whose size reads 0) is bounded too; a file that does not start with
     * the magic is not read further (its first bytes are returned, and the parser refuses them by the magic).
     */
    public static byte[] readBytes(Path path) {
        try {
            if (Files.isDirectory(path)) {
                throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + path + ": it is a folder");
            }
            if (Files.isRegularFile(path)) {
                long size = Files.size(path);
                if (size > MAX_FILE_BYTES) {
                    throw new FormatException(path + " is " + size + " bytes, larger than any sdc file ("
                            + MAX_FILE_BYTES + ")");
                }
            }
            try (java.io.InputStream in = Files.newInputStream(path)) {
                return readBounded(in, path.toString());
            }
        } catch (NoSuchFileException e) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + path + ": no such file");
        } catch (IOException e) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * A would-be .sdc file from {@code in} (a file, a device, stdin): its first bytes only when they are not the
     * magic (the parser then says so), else all of it, refused past {@link #MAX_FILE_BYTES}.
     *
     * @param what the name for the message, e.g. {@code stdin}
     */
    public static byte[] readBounded(java.io.InputStream in, String what) throws IOException {
        byte[] head = in.readNBytes(SdcFormat.MAGIC.length);
        if (!hasMagic(head, head.length)) {
            return head;
        }
        byte[] rest = in.readNBytes((int) (MAX_FILE_BYTES - head.length + 1));
        if (head.length + (long) rest.length > MAX_FILE_BYTES) {
            throw new FormatException(what + " is larger than any sdc file (" + MAX_FILE_BYTES + " bytes)");
        }
        byte[] data = java.util.Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, data, head.length, rest.length);
        return data;
    }

    /** Whether the first {@code n} bytes of {@code head} start with the .sdc magic (format sniffing). */
    public static boolean hasMagic(byte[] head, int n) {
        if (n < SdcFormat.MAGIC.length) {
            return false;
        }
        for (int i = 0; i < SdcFormat.MAGIC.length; i++) {
            if (head[i] != SdcFormat.MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Parses a whole .sdc file held in memory. */
    public static SdcFile read(byte[] data) {
        Head head = head(data);
        ByteCursor in = head.rest();
        SdcHeader header = head.header();
        SdcMetadata metadata = (head.flags() & SdcFormat.FLAG_METADATA) != 0 ? readMetadata(in) : SdcMetadata.NONE;

        PayloadFormat.Parsed payload = PayloadFormats.of(header.mode()).read(in, header);
        int crcPos = payload.end();
        CRC32 crc = new CRC32();
        crc.update(data, 0, crcPos);
        long stored = readU32(data, crcPos);
        if (crc.getValue() != stored) {
            throw new FormatException(String.format("CRC mismatch (stored %08x, computed %08x)", stored, crc.getValue()));
        }
        return new SdcFile(header, metadata, payload.decode());
    }

    /**
     * The header of a .sdc file, every field checked as {@link #read} checks it, without the payload or the
     * CRC: for a caller that must refuse a file by its size before the decode (which then parses it whole).
     */
    public static SdcHeader readHeader(byte[] data) {
        return head(data).header();
    }

    /** A parsed header, its flags, and the cursor just after it (at the metadata section or the payload). */
    private record Head(SdcHeader header, int flags, ByteCursor rest) {
    }

    private static Head head(byte[] data) {
        if (data.length == 0) {
            throw new FormatException("empty (0 bytes), not an sdc file");
        }
        for (int i = 0; i < Math.min(data.length, SdcFormat.MAGIC.length); i++) {
            if (data[i] != SdcFormat.MAGIC[i]) {
                throw new FormatException("not an sdc file (bad magic)");
            }
        }
        if (data.length < SdcFormat.MIN_FILE) {
            throw new FormatException("truncated at byte " + data.length + " (an sdc file has at least "
                    + SdcFormat.MIN_FILE + ")");
        }
        ByteCursor in = new ByteCursor(data, data.length);
        in.skip(SdcFormat.MAGIC.length);
        int version = in.u8();
        if (version != SdcFormat.VERSION) {
            throw new FormatException("unsupported sdc version " + version + " (this sdc reads version "
                    + SdcFormat.VERSION + ")");
        }
        int flags = in.u8();
        if ((flags & ~SdcFormat.FLAG_METADATA) != 0) {
            throw new FormatException("unsupported flags 0x" + Integer.toHexString(flags) + " (only bit 0 is defined)");
        }
        long width = in.u32();
        long height = in.u32();
        SdcHeader.checkImageSize(width, height);
        int nameLen = in.u8();
        if (nameLen < 1 || nameLen > SdcHeader.MAX_NAME) {
            throw new FormatException("bundle name length " + nameLen + " out of range 1.." + SdcHeader.MAX_NAME);
        }
        String name = new String(in.bytes(nameLen), StandardCharsets.ISO_8859_1);
        SdcHeader.checkName(name);
        byte[] fingerprint = in.bytes(SdcHeader.FINGERPRINT_BYTES);
        int channels = in.u8();
        int factor = in.u8();
        int lw = in.u16();
        int lh = in.u16();
        SdcHeader.checkLatentShape((int) width, (int) height, channels, factor, lw, lh);
        int mode = in.u8();
        SdcHeader.checkMode(mode);
        float quantMin = in.f32();
        float quantMax = in.f32();
        float strength = in.f32();
        int steps = in.u16();
        SdcHeader.checkSettings(mode, quantMin, quantMax, strength, steps);
        SdcHeader header = new SdcHeader((int) width, (int) height, name, fingerprint, channels, factor, lw, lh,
                mode, quantMin, quantMax, strength, steps);
        return new Head(header, flags, in);
    }

    /**
     * The metadata section (docs/FORMAT.md): its length is checked against the bytes left (a payload and
     * the CRC must still follow) and every block's length against the section before anything is copied.
     * Unknown ancillary blocks (type ≥ 128) are skipped; unknown critical ones reject the file.
     */
    private static SdcMetadata readMetadata(ByteCursor in) {
        long sectionLen = in.u32();
        long room = (long) in.remaining() - PayloadFormats.MIN_BYTES - SdcFormat.CRC_BYTES;
        if (sectionLen < 1 || sectionLen > SdcMetadata.MAX_SECTION || sectionLen > room) {
            throw new FormatException("metadata section length " + sectionLen + " out of range 1.."
                    + Math.max(0, Math.min(SdcMetadata.MAX_SECTION, room)));
        }
        int end = in.position() + (int) sectionLen;
        int count = in.u8();
        if (count < 1 || count > SdcMetadata.MAX_BLOCKS) {
            throw new FormatException("metadata block count " + count + " out of range 1.." + SdcMetadata.MAX_BLOCKS);
        }
        List<SdcMetadata.Block> blocks = new ArrayList<>();
        boolean[] seen = new boolean[256];
        for (int i = 0; i < count; i++) {
            if (end - in.position() < SdcMetadata.BLOCK_HEADER) {
                throw new FormatException("metadata block " + i + " overruns the metadata section");
            }
            int type = in.u8();
            long len = in.u32();
            if (len > end - in.position()) {
                throw new FormatException("metadata block " + i + " (type " + type + ") of " + len
                        + " bytes overruns the metadata section");
            }
            if (seen[type]) {
                throw new FormatException("metadata block type " + type + " appears twice");
            }
            seen[type] = true;
            if (type >= SdcMetadata.FIRST_ANCILLARY) {
                in.skip((int) len);
                continue;
            }
            byte[] data = in.bytes((int) len);
            SdcMetadata.checkBlock(type, data);
            blocks.add(new SdcMetadata.Block(type, data));
        }
        if (in.position() != end) {
            throw new FormatException((end - in.position()) + " unused bytes at the end of the metadata section");
        }
        return new SdcMetadata(blocks);
    }

    private static long readU32(byte[] data, int pos) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (data[pos + i] & 0xFF);
        }
        return v;
    }
}
