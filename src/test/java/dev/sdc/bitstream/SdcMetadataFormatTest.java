package dev.sdc.bitstream;

import static dev.sdc.bitstream.SdcReaderTest.fixCrc;
import static dev.sdc.bitstream.SdcReaderTest.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metadata section of docs/FORMAT.md: round trip, old files, skip/reject rules, bounds, CRC. */
class SdcMetadataFormatTest {
    private static final byte[] EXIF = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0};
    /** Offset of the flags byte, and of the section in the sample (bundle name "sd-vae_1.5", 10 chars). */
    private static final int FLAGS = 5;
    private static final int SECTION = 4 + 1 + 1 + 4 + 4 + 1 + 10 + 8 + 1 + 1 + 2 + 2 + 1 + 4 + 4 + 4 + 2;

    private static SdcFile sample(SdcMetadata md) {
        return SdcReaderTest.sample(3, 100, 60, 8, 4, 37).withMetadata(md);
    }

    @Test
    void roundTripsEveryBlock() {
        SdcMetadata md = SdcMetadata.of(EXIF, "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>", "Display P3");
        byte[] bytes = SdcWriter.write(sample(md));
        SdcFile back = SdcReader.read(bytes);
        assertTrue(sample(md).sameContent(back));
        assertArrayEquals(EXIF, back.metadata().exif().orElseThrow());
        assertEquals("Display P3", back.metadata().iccName().orElseThrow());
        assertEquals(SdcWriter.write(sample(SdcMetadata.NONE)).length + md.sectionBytes(), bytes.length);
    }

    @Test
    void filesWithoutMetadataAreUnchanged() {
        byte[] plain = SdcWriter.write(sample(SdcMetadata.NONE));
        assertEquals(0, plain[FLAGS]);
        assertTrue(SdcReader.read(plain).metadata().isEmpty());
    }

    @Test
    void unknownAncillaryBlocksAreSkippedAndCriticalOnesRejected() {
        SdcMetadata md = new SdcMetadata(List.of(new SdcMetadata.Block(0xC8, new byte[] {1, 2, 3}),
                new SdcMetadata.Block(SdcMetadata.EXIF, EXIF)));
        byte[] bytes = SdcWriter.write(sample(md));
        SdcMetadata back = SdcReader.read(bytes).metadata();
        assertEquals(1, back.blocks().size());
        assertArrayEquals(EXIF, back.exif().orElseThrow());
        bytes[SECTION + 5] = 0x09; // the ancillary block's type becomes an unknown critical one
        fixCrc(bytes);
        assertTrue(message(bytes).contains("unknown critical metadata block type 9"));
    }

    @Test
    void theLargestSectionTheSpecAllowsIsWrittenAndRead() {
        // section_len counts the block count and the blocks, not its own 4 bytes: 1 + 5 + n = 2^24 is the largest
        int n = SdcMetadata.MAX_SECTION - 1 - SdcMetadata.BLOCK_HEADER;
        SdcMetadata largest = new SdcMetadata(List.of(new SdcMetadata.Block(SdcMetadata.XMP, "x".repeat(n)
                .getBytes(StandardCharsets.UTF_8))));
        byte[] bytes = SdcWriter.write(sample(largest));
        assertEquals(SdcMetadata.MAX_SECTION, ByteBuffer.wrap(bytes, SECTION, 4).getInt());
        assertEquals(n, SdcReader.read(bytes).metadata().xmp().orElseThrow().length());
        FormatException e = assertThrows(FormatException.class, () -> new SdcMetadata(List.of(new SdcMetadata.Block(
                SdcMetadata.XMP, "x".repeat(n + 1).getBytes(StandardCharsets.UTF_8)))));
        assertTrue(e.getMessage().contains("exceeds " + SdcMetadata.MAX_SECTION), e.getMessage());
    }

    @Test
    void boundsAreCheckedBeforeAllocating() {
        byte[] good = SdcWriter.write(sample(SdcMetadata.of(EXIF, null, null)));
        byte[] b = good.clone();
        ByteBuffer.wrap(b).putInt(SECTION, 0x7FFFFFFF); // section length far beyond the file
        fixCrc(b);
        assertTrue(message(b).contains("metadata section length"));
        b = good.clone();
        ByteBuffer.wrap(b).putInt(SECTION + 6, 1 << 30); // block length beyond the section
        fixCrc(b);
        assertTrue(message(b).contains("overruns the metadata section"));
        b = good.clone();
        b[SECTION + 4] = 0; // zero blocks
        fixCrc(b);
        assertTrue(message(b).contains("block count"));
        b = good.clone();
        b[SECTION + 10] = 'X'; // EXIF without a TIFF header
        fixCrc(b);
        assertTrue(message(b).contains("TIFF header"));
        byte[] noFlag = good.clone();
        noFlag[FLAGS] = 0; // the section's bytes are then read as a palette and the lengths do not add up
        fixCrc(noFlag);
        message(noFlag);
        noFlag[FLAGS] = 3;
        fixCrc(noFlag);
        assertTrue(message(noFlag).contains("unsupported flags"));
    }

    @Test
    void seedFileWithMetadataReads() throws java.io.IOException {
        // testdata/sdc/metadata-test-bundle.sdc: a valid seed for the reader's fuzzing (camera-style EXIF and XMP)
        SdcFile f = SdcReader.read(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("testdata/sdc/metadata-test-bundle.sdc")));
        assertEquals(96, f.header().width());
        assertTrue(f.metadata().exif().isPresent() && f.metadata().xmp().isPresent());
    }

    @Test
    void crcCoversTheSection() {
        byte[] b = SdcWriter.write(sample(SdcMetadata.of(EXIF, "<a/>", null)));
        b[SECTION + 20] ^= 1; // inside the EXIF block, past its TIFF header
        assertTrue(message(b).contains("CRC"));
    }

    @Test
    void duplicateAndOversizedBlocksAreRefusedWhenWriting() {
        assertThrows(FormatException.class, () -> new SdcMetadata(List.of(new SdcMetadata.Block(SdcMetadata.EXIF, EXIF),
                new SdcMetadata.Block(SdcMetadata.EXIF, EXIF))));
        assertThrows(FormatException.class, () -> SdcMetadata.of(null, null, "x".repeat(256)));
        assertThrows(FormatException.class, () -> new SdcMetadata(List.of(
                new SdcMetadata.Block(SdcMetadata.XMP, new byte[] {(byte) 0xFF, (byte) 0xFE}))));
        assertEquals("é", SdcMetadata.of(null, "é", null).xmp().orElseThrow());
        assertEquals(2, SdcMetadata.of(null, "é", null).blocks().get(0).data().length);
        assertTrue(new String(SdcMetadata.of(null, "é", null).blocks().get(0).data(), StandardCharsets.UTF_8).equals("é"));
    }
}
