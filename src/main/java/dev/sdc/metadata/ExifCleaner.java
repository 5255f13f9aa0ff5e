package dev.sdc.metadata;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Makes an input's EXIF true of the .sdc image: Orientation 1 (the pixels are stored upright), pixel
 * dimensions of the encoded image, ColorSpace sRGB (the pixels were converted). By default it also drops
 * the IFD1 thumbnail and the MakerNote, which are often ten times the size of the whole .sdc file.
 */
public final class ExifCleaner {
    static final int IMAGE_WIDTH = 0x0100;
    static final int IMAGE_LENGTH = 0x0101;
    static final int ORIENTATION = 0x0112;
    static final int MAKER_NOTE = 0x927C;
    static final int COLOR_SPACE = 0xA001;
    static final int PIXEL_X = 0xA002;
    static final int PIXEL_Y = 0xA003;
    static final int THUMB_OFFSET = 0x0201;
    static final int THUMB_LENGTH = 0x0202;
    /** StripOffsets, StripByteCounts, TileOffsets, TileByteCounts, SubIFDs, JPEGInterchangeFormat(Length). */
    private static final int[] OFFSET_TAGS = {0x0111, 0x0117, 0x0144, 0x0145, 0x014A, THUMB_OFFSET, THUMB_LENGTH};

    /**
     * @param exif           the cleaned EXIF stream
     * @param thumbnailBytes bytes of IFD1 and its thumbnail that were dropped (0 if none or kept)
     * @param makerNoteBytes bytes of MakerNote that were dropped (0 if none or kept)
     */
    public record Result(byte[] exif, int thumbnailBytes, int makerNoteBytes) {
    }

    private ExifCleaner() {
    }

    /**
     * Cleans {@code exif} for a {@code width} × {@code height} upright sRGB image.
     *
     * @param keepAll true ({@code --metadata all}): keep the bytes as they are, thumbnail and MakerNote
     *                included (MakerNotes hold offsets into the block, so it is patched in place, not moved)
     * @throws MalformedMetadataException if the EXIF cannot be parsed
     */
    public static Result clean(byte[] exif, int width, int height, boolean keepAll) throws MalformedMetadataException {
        TiffIfds.Parsed parsed;
        try {
            parsed = TiffIfds.parse(exif);
        } catch (TiffIfds.MalformedException e) {
            throw new MalformedMetadataException("malformed EXIF (" + e.getMessage() + ")");
        }
        return keepAll ? patchInPlace(exif, parsed, width, height) : relayout(exif, parsed, width, height);
    }

    /**
     * {@code exif} with its Orientation set to 1 in place (the same array when it is 1 or absent): what a
     * decoder writes out, since the pixels are upright whatever a file's EXIF block says.
     *
     * @throws MalformedMetadataException if the EXIF cannot be parsed
     */
    public static byte[] upright(byte[] exif) throws MalformedMetadataException {
        TiffIfds.Parsed parsed;
        try {
            parsed = TiffIfds.parse(exif);
        } catch (TiffIfds.MalformedException e) {
            throw new MalformedMetadataException("malformed EXIF (" + e.getMessage() + ")");
        }
        TiffIfds.Entry orientation = parsed.ifd0().find(ORIENTATION);
        if (orientation == null) {
            return exif;
        }
        byte[] out = exif.clone();
        patch(ByteBuffer.wrap(out).order(parsed.order()), orientation, 1);
        return java.util.Arrays.equals(out, exif) ? exif : out;
    }

    private static Result relayout(byte[] exif, TiffIfds.Parsed p, int width, int height) {
        ByteOrder o = p.order();
        TiffIfds.Ifd ifd0 = p.ifd0();
        ifd0.remove(IMAGE_WIDTH); // describe a main image a JPEG's EXIF should not have; stale after encoding
        ifd0.remove(IMAGE_LENGTH);
        for (int offsetTag : OFFSET_TAGS) {
            ifd0.remove(offsetTag); // values that point into the old block would dangle once it is laid out anew
        }
        if (ifd0.find(ORIENTATION) != null) {
            ifd0.put(TiffIfds.shortEntry(o, ORIENTATION, 1));
        }
        int makerNote = 0;
        TiffIfds.Entry exifPtr = ifd0.find(TiffIfds.EXIF_IFD);
        if (exifPtr != null && exifPtr.sub() != null) {
            TiffIfds.Ifd sub = exifPtr.sub();
            TiffIfds.Entry mn = sub.find(MAKER_NOTE);
            if (mn != null) {
                makerNote = mn.value().length;
                sub.remove(MAKER_NOTE);
            }
            if (sub.find(PIXEL_X) != null || sub.find(PIXEL_Y) != null) {
                sub.put(TiffIfds.longEntry(o, PIXEL_X, width));
                sub.put(TiffIfds.longEntry(o, PIXEL_Y, height));
            }
            if (sub.find(COLOR_SPACE) != null) {
                sub.put(TiffIfds.shortEntry(o, COLOR_SPACE, 1));
            }
        }
        byte[] out = TiffIfds.write(o, ifd0);
        int thumbnail = p.ifd1() == null ? 0 : Math.max(0, exif.length - out.length - makerNote);
        return new Result(out, thumbnail, makerNote);
    }

    private static Result patchInPlace(byte[] exif, TiffIfds.Parsed p, int width, int height) {
        byte[] out = exif.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(p.order());
        patch(b, p.ifd0().find(ORIENTATION), 1);
        patch(b, p.ifd0().find(IMAGE_WIDTH), width);
        patch(b, p.ifd0().find(IMAGE_LENGTH), height);
        TiffIfds.Entry exifPtr = p.ifd0().find(TiffIfds.EXIF_IFD);
        if (exifPtr != null && exifPtr.sub() != null) {
            patch(b, exifPtr.sub().find(PIXEL_X), width);
            patch(b, exifPtr.sub().find(PIXEL_Y), height);
            patch(b, exifPtr.sub().find(COLOR_SPACE), 1);
        }
        return new Result(out, 0, 0);
    }

    /**
     * Rewrites an entry in place as one value: a SHORT if it was one and {@code value} fits (Orientation and
     * ColorSpace always are), else a LONG. Type and count are rewritten too, not just the value: an entry
     * another writer stored oddly (an SSHORT Orientation, a count of 2) would otherwise keep saying 6, and
     * viewers would turn the upright pixels. Data such an entry pointed to stays in the block, unreferenced.
     */
    private static void patch(ByteBuffer b, TiffIfds.Entry e, int value) {
        if (e == null || e.pos() < 0) {
            return;
        }
        boolean asShort = value <= 0xFFFF && (e.type() == 3 || e.tag() == ORIENTATION || e.tag() == COLOR_SPACE);
        b.putShort(e.pos() + 2, (short) (asShort ? 3 : 4));
        b.putInt(e.pos() + 4, 1);
        if (asShort) {
            b.putShort(e.pos() + 8, (short) value).putShort(e.pos() + 10, (short) 0);
        } else {
            b.putInt(e.pos() + 8, value);
        }
    }
}
