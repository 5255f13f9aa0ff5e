package dev.sdc.bitstream;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The mode-1 payload in the container (docs/FORMAT.md, "Mode 1"): layout, bounds, truncation. */
class ScalarContainerTest {
    private static final byte[] FP = {9, 8, 7, 6, 5, 4, 3, 2};

    static SdcFile scalarFile(int level, int rateFactor, int codedLen, SdcMetadata md) {
        byte[] coded = new byte[codedLen];
        new Random(level * 31L + codedLen).nextBytes(coded);
        coded[0] = 0;
        SdcHeader h = new SdcHeader(100, 60, "tiny-scalar", FP, 4, 8, 13, 8, SdcHeader.MODE_SCALAR, -1f, 1f,
                0.012f, 1);
        return new SdcFile(h, md, new ScalarPayload(level, rateFactor, coded));
    }

    /** Header through {@code steps} for this file's 11-character name. */
    private static int headerBytes() {
        return SdcFormat.MIN_HEADER - 1 + "tiny-scalar".length();
    }

    @Test
    void roundTripWithAndWithoutMetadata() {
        SdcMetadata md = new SdcMetadata(List.of(new SdcMetadata.Block(SdcMetadata.XMP, "<x:xmpmeta/>".getBytes())));
        for (SdcMetadata m : List.of(SdcMetadata.NONE, md)) {
            SdcFile f = scalarFile(3, 4096, 77, m);
            byte[] bytes = SdcWriter.write(f);
            SdcFile back = SdcReader.read(bytes);
            assertTrue(f.sameContent(back));
            ScalarPayload p = (ScalarPayload) back.payload();
            assertEquals(3, p.level());
            assertEquals(4096, p.rateFactor());
            assertEquals(77, p.coded().length);
            assertThrows(IllegalStateException.class, back::latent, "a scalar file has no palette");
        }
    }

    @Test
    void layoutIsLevelRateFactorLengthStream() {
        byte[] bytes = SdcWriter.write(scalarFile(2, 0x1234, 9, SdcMetadata.NONE));
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int at = headerBytes();
        assertEquals(2, b.get(at) & 0xFF);
        assertEquals(0x1234, b.getShort(at + 1) & 0xFFFF);
        assertEquals(9, b.getInt(at + 3));
        assertEquals(at + 1 + 2 + 4 + 9 + 4, bytes.length);
        assertEquals(SdcFormat.MIN_PAYLOAD, PayloadFormats.MIN_BYTES, "both modes' smallest payloads are equal");
        assertEquals(SdcFormat.MIN_PAYLOAD, ScalarFormat.MIN_BYTES);
        assertEquals(SdcFormat.MIN_PAYLOAD, PaletteFormat.MIN_BYTES);
    }

    @Test
    void boundsAreChecked() {
        byte[] bytes = SdcWriter.write(scalarFile(0, 1, 20, SdcMetadata.NONE));
        int at = headerBytes();
        byte[] zeroRate = bytes.clone();
        zeroRate[at + 1] = 0;
        zeroRate[at + 2] = 0;
        SdcReaderTest.fixCrc(zeroRate);
        assertEquals("rate factor 0 out of range 1..65535", SdcReaderTest.message(zeroRate));
        byte[] shortLen = bytes.clone();
        ByteBuffer.wrap(shortLen).putInt(at + 3, 4);
        SdcReaderTest.fixCrc(shortLen);
        assertEquals("coded latent length 4 below minimum 5", SdcReaderTest.message(shortLen));
        byte[] hugeLen = bytes.clone();
        ByteBuffer.wrap(hugeLen).putInt(at + 3, -1);
        assertTrue(SdcReaderTest.message(hugeLen).startsWith("truncated"), SdcReaderTest.message(hugeLen));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertTrue(SdcReaderTest.message(longer).contains("trailing bytes") || SdcReaderTest.message(longer).contains("CRC"));
    }

    @Test
    void everyTruncationAndFlipIsAFormatError() {
        byte[] bytes = SdcWriter.write(scalarFile(1, 999, 30, SdcMetadata.NONE));
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThrows(FormatException.class, () -> SdcReader.read(cut), "length " + n);
        }
        for (int i = 0; i < bytes.length; i++) {
            byte[] bad = bytes.clone();
            bad[i] ^= (byte) 0x40;
            assertThrows(FormatException.class, () -> SdcReader.read(bad), "byte " + i);
        }
    }

    @Test
    void payloadAndHeaderModesMustAgree() {
        SdcFile f = scalarFile(0, 1, 5, SdcMetadata.NONE);
        SdcHeader h = f.header();
        SdcHeader palette = new SdcHeader(h.width(), h.height(), h.bundleName(), FP, 4, 8, 13, 8,
                SdcHeader.MODE_PALETTE, -1f, 1f, 0f, 0);
        assertThrows(IllegalArgumentException.class, () -> new SdcFile(palette, f.payload()));
        assertThrows(IllegalArgumentException.class, () -> new ScalarPayload(256, 1, new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> new ScalarPayload(0, 0, new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> new ScalarPayload(0, 1, new byte[4]));
    }
}
