package dev.sdc.bitstream;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The optional metadata section of a .sdc file (docs/FORMAT.md, "Metadata section"): typed, length-bounded
 * blocks of photo metadata carried beside the latent. This class holds the raw bytes; parsing and cleaning
 * EXIF is {@code dev.sdc.metadata}'s job.
 */
public record SdcMetadata(List<Block> blocks) {
    /** EXIF as a TIFF stream ("II*\0" or "MM\0*" …), without JPEG's "Exif\0\0" prefix. */
    public static final int EXIF = 1;
    /** An XMP packet, UTF-8. */
    public static final int XMP = 2;
    /** UTF-8 description of the colour profile the input had (the pixels are sRGB; no profile is kept). */
    public static final int ICC_NAME = 3;
    /** Types from here up are ancillary: a reader that does not know one skips it. */
    public static final int FIRST_ANCILLARY = 0x80;

    static final int MAX_BLOCKS = 16;
    /** Largest section (all blocks with their headers): 16 MiB. */
    static final int MAX_SECTION = 1 << 24;
    static final int MAX_ICC_NAME = 255;
    static final int BLOCK_HEADER = 1 + 4;

    public static final SdcMetadata NONE = new SdcMetadata(List.of());

    /** One block: a type 0..255 and its bytes. */
    public record Block(int type, byte[] data) {
        public Block {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        int length() {
            return data.length;
        }
    }

    public SdcMetadata {
        blocks = List.copyOf(blocks);
        validate(blocks);
    }

    /** EXIF, XMP and the profile name, each optional (null or empty: absent). */
    public static SdcMetadata of(byte[] exif, String xmp, String iccName) {
        List<Block> b = new ArrayList<>();
        if (exif != null && exif.length > 0) {
            b.add(new Block(EXIF, exif));
        }
        if (xmp != null && !xmp.isEmpty()) {
            b.add(new Block(XMP, xmp.getBytes(StandardCharsets.UTF_8)));
        }
        if (iccName != null && !iccName.isEmpty()) {
            b.add(new Block(ICC_NAME, iccName.getBytes(StandardCharsets.UTF_8)));
        }
        return new SdcMetadata(b);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public Optional<byte[]> exif() {
        return find(EXIF);
    }

    public Optional<String> xmp() {
        return find(XMP).map(d -> new String(d, StandardCharsets.UTF_8));
    }

    public Optional<String> iccName() {
        return find(ICC_NAME).map(d -> new String(d, StandardCharsets.UTF_8));
    }

    private Optional<byte[]> find(int type) {
        return blocks.stream().filter(b -> b.type() == type).findFirst().map(Block::data);
    }

    /** A copy without the blocks of {@code type}. */
    public SdcMetadata without(int type) {
        return new SdcMetadata(blocks.stream().filter(b -> b.type() != type).toList());
    }

    /** Bytes the section takes in a file, its length field included; 0 when empty (no section is written). */
    public int sectionBytes() {
        return isEmpty() ? 0 : 4 + 1 + payloadBytes();
    }

    int payloadBytes() {
        int n = 0;
        for (Block b : blocks) {
            n += BLOCK_HEADER + b.length();
        }
        return n;
    }

    private static void validate(List<Block> blocks) {
        if (blocks.size() > MAX_BLOCKS) {
            throw new FormatException("metadata has " + blocks.size() + " blocks, at most " + MAX_BLOCKS);
        }
        long total = 1; // section_len's measure (docs/FORMAT.md): the block count and the blocks, not the field itself
        boolean[] seen = new boolean[256];
        for (Block b : blocks) {
            checkBlock(b.type(), b.data);
            if (seen[b.type()]) {
                throw new FormatException("metadata block type " + b.type() + " appears twice");
            }
            seen[b.type()] = true;
            total += BLOCK_HEADER + b.length();
        }
        if (total > MAX_SECTION) {
            throw new FormatException("metadata section length " + total + " exceeds " + MAX_SECTION);
        }
    }

    /** Content rules of the known block types; unknown ancillary types are opaque. */
    static void checkBlock(int type, byte[] data) {
        if (type < 0 || type > 255) {
            throw new FormatException("metadata block type " + type + " out of range 0..255");
        }
        switch (type) {
            case EXIF -> {
                if (data.length < 8 || !(isTiffHeader(data))) {
                    throw new FormatException("EXIF block does not start with a TIFF header");
                }
            }
            case XMP -> {
                if (data.length == 0) {
                    throw new FormatException("empty XMP block");
                }
                checkUtf8("XMP", data);
            }
            case ICC_NAME -> {
                if (data.length == 0 || data.length > MAX_ICC_NAME) {
                    throw new FormatException("profile name block of " + data.length + " bytes (must be 1.."
                            + MAX_ICC_NAME + ")");
                }
                checkUtf8("profile name", data);
            }
            default -> {
                if (type < FIRST_ANCILLARY) {
                    throw new FormatException("unknown critical metadata block type " + type
                            + " (this sdc knows 1..3; types 128..255 may be skipped)");
                }
            }
        }
    }

    private static boolean isTiffHeader(byte[] d) {
        return (d[0] == 'I' && d[1] == 'I' && d[2] == 42 && d[3] == 0)
                || (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && d[3] == 42);
    }

    private static void checkUtf8(String what, byte[] data) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data));
        } catch (CharacterCodingException e) {
            throw new FormatException(what + " block is not valid UTF-8");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SdcMetadata m) || m.blocks.size() != blocks.size()) {
            return false;
        }
        for (int i = 0; i < blocks.size(); i++) {
            Block a = blocks.get(i), b = m.blocks.get(i);
            if (a.type() != b.type() || !java.util.Arrays.equals(a.data, b.data)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return blocks.size();
    }
}
