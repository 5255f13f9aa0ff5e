package dev.sdc.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdc.bitstream.SdcMetadata;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExifCleanerTest {
    private static final byte[] THUMB = CameraStylePhoto.encodeJpeg(CameraStylePhoto.picture(160, 120));

    private static byte[] cameraExif() {
        return CameraStylePhoto.exif(768, 512, THUMB, 20_000);
    }

    private static int shortValue(TiffIfds.Ifd ifd, int tag) {
        return ByteBuffer.wrap(ifd.find(tag).value()).getShort() & 0xFFFF;
    }

    private static int longValue(TiffIfds.Ifd ifd, int tag) {
        return ByteBuffer.wrap(ifd.find(tag).value()).getInt();
    }

    @Test
    void defaultDropsThumbnailAndMakerNoteAndFixesOrientationAndSize() throws Exception {
        byte[] in = cameraExif();
        ExifCleaner.Result r = ExifCleaner.clean(in, 512, 768, false);
        assertEquals(20_000, r.makerNoteBytes());
        assertTrue(r.thumbnailBytes() >= THUMB.length, "thumbnail bytes " + r.thumbnailBytes());
        assertTrue(r.exif().length < 600, "kept " + r.exif().length);
        TiffIfds.Parsed p = TiffIfds.parse(r.exif());
        assertNull(p.ifd1());
        assertEquals(1, shortValue(p.ifd0(), ExifCleaner.ORIENTATION));
        TiffIfds.Ifd sub = p.ifd0().find(TiffIfds.EXIF_IFD).sub();
        assertNull(sub.find(ExifCleaner.MAKER_NOTE));
        assertEquals(512, longValue(sub, ExifCleaner.PIXEL_X));
        assertEquals(768, longValue(sub, ExifCleaner.PIXEL_Y));
        ExifSummary s = ExifSummary.of(r.exif());
        assertEquals(CameraStylePhoto.DATE, s.captureTime());
        assertEquals("SdcTestCam Model X1", s.camera());
        assertEquals("Test Lens 35mm F1.8", s.lens());
        assertTrue(s.gps());
    }

    @Test
    void allKeepsEveryByteButOrientationAndSize() throws Exception {
        byte[] in = cameraExif();
        ExifCleaner.Result r = ExifCleaner.clean(in, 512, 768, true);
        assertEquals(in.length, r.exif().length);
        TiffIfds.Parsed p = TiffIfds.parse(r.exif());
        assertNotNull(p.ifd1());
        assertEquals(1, shortValue(p.ifd0(), ExifCleaner.ORIENTATION));
        assertEquals(20_000, p.ifd0().find(TiffIfds.EXIF_IFD).sub().find(ExifCleaner.MAKER_NOTE).value().length);
        int differing = 0;
        for (int i = 0; i < in.length; i++) {
            differing += in[i] != r.exif()[i] ? 1 : 0;
        }
        assertTrue(differing <= 8, differing + " bytes changed"); // orientation 1 byte, two dimensions
    }

    @Test
    void aDecoderWritesOrientationOneWhateverTheFileSays() throws Exception {
        byte[] sideways = cameraExif(); // Orientation 6, as a camera held upright writes it
        assertEquals(6, shortValue(TiffIfds.parse(sideways).ifd0(), ExifCleaner.ORIENTATION));
        String xmp = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description tiff:Orientation=\"6\"/>"
                + "</rdf:RDF></x:xmpmeta>";
        List<String> warnings = new ArrayList<>();
        SdcMetadata out = MetadataEmbedder.upright(SdcMetadata.of(sideways, xmp, "Adobe RGB"), warnings::add);
        TiffIfds.Parsed p = TiffIfds.parse(out.exif().orElseThrow());
        assertEquals(1, shortValue(p.ifd0(), ExifCleaner.ORIENTATION));
        assertEquals(sideways.length, out.exif().get().length, "patched in place, nothing else changed");
        assertTrue(out.xmp().orElseThrow().contains("tiff:Orientation=\"1\""), out.xmp().get());
        assertEquals("Adobe RGB", out.iccName().orElseThrow());
        assertTrue(warnings.isEmpty(), warnings.toString());
        byte[] upright = ExifCleaner.clean(sideways, 768, 512, false).exif();
        assertSame(upright, ExifCleaner.upright(upright), "an upright block is passed through");
        byte[] garbage = {'I', 'I', 42, 0, (byte) 0xFF, (byte) 0xFF, 0, 0}; // IFD0 offset beyond the block
        SdcMetadata dropped = MetadataEmbedder.upright(SdcMetadata.of(garbage, null, null), warnings::add);
        assertTrue(dropped.exif().isEmpty());
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void anOrientationStoredOddlyIsRewrittenAsOneShort() throws Exception {
        // another writer's Orientation 6 as an SSHORT, and as a SHORT with a count of 2 (the value then lives
        // outside the entry): viewers read either as 6, so both must come out as one SHORT 1
        byte[] sshort = cameraExif();
        int at = TiffIfds.parse(sshort).ifd0().find(ExifCleaner.ORIENTATION).pos();
        ByteBuffer.wrap(sshort).order(TiffIfds.parse(sshort).order()).putShort(at + 2, (short) 8);
        byte[] twoShorts = cameraExif();
        ByteBuffer tb = ByteBuffer.wrap(twoShorts).order(TiffIfds.parse(twoShorts).order());
        tb.putInt(at + 4, 2).putInt(at + 8, 8); // two SHORTs at offset 8: IFD0's own entry count and first tag
        for (byte[] odd : List.of(sshort, twoShorts)) {
            TiffIfds.Entry before = TiffIfds.parse(odd).ifd0().find(ExifCleaner.ORIENTATION);
            assertTrue(before.type() != 3 || before.count() != 1, "the test block is odd");
            for (byte[] out : List.of(ExifCleaner.upright(odd), ExifCleaner.clean(odd, 768, 512, true).exif(),
                    ExifCleaner.clean(odd, 768, 512, false).exif())) {
                TiffIfds.Entry e = TiffIfds.parse(out).ifd0().find(ExifCleaner.ORIENTATION);
                assertEquals(3, e.type());
                assertEquals(1, e.count());
                assertEquals(1, shortValue(TiffIfds.parse(out).ifd0(), ExifCleaner.ORIENTATION));
            }
        }
    }

    @Test
    void malformedExifIsAWarningAndTheOtherBlocksStay() {
        byte[] bad = cameraExif();
        ByteBuffer.wrap(bad).putInt(4, 1 << 30); // IFD0 offset beyond the block
        assertThrows(MalformedMetadataException.class, () -> ExifCleaner.clean(bad, 10, 10, false));
        List<String> warnings = new ArrayList<>();
        MetadataTransfer.Prepared p = MetadataTransfer.prepare(new PhotoMetadata(bad, CameraStylePhoto.xmp(), null),
                "in.jpg", 10, 10, MetadataPolicy.DEFAULT, warnings::add);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("in.jpg: malformed EXIF"), warnings.get(0));
        assertTrue(p.metadata().exif().isEmpty());
        assertTrue(p.metadata().xmp().orElseThrow().contains("tiff:Orientation=\"1\""));
    }

    @Test
    void malformedXmpIsAWarning() {
        List<String> warnings = new ArrayList<>();
        MetadataTransfer.Prepared p = MetadataTransfer.prepare(new PhotoMetadata(cameraExif(), "<x:xmpmeta><unclosed>", null),
                "in.png", 10, 10, MetadataPolicy.DEFAULT, warnings::add);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("malformed XMP"), warnings.get(0));
        assertTrue(p.metadata().xmp().isEmpty());
        assertFalse(p.metadata().exif().isEmpty());
        // an XXE-style DOCTYPE is refused, not resolved
        warnings.clear();
        MetadataTransfer.prepare(new PhotoMetadata(null, "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>", null),
                "in.png", 10, 10, MetadataPolicy.DEFAULT, warnings::add);
        assertEquals(1, warnings.size());
    }

    @Test
    void extractsFromTheCameraJpegAndPoliciesParse() {
        byte[] jpeg = CameraStylePhoto.jpeg(96, 64, 5000);
        PhotoMetadata m = MetadataExtractor.extract(jpeg, "cam.jpg", w -> { throw new AssertionError(w); });
        assertNotNull(m.exif());
        assertTrue(m.xmp().contains("Harbour at dawn"));
        MetadataTransfer.Prepared none = MetadataTransfer.prepare(jpeg, "cam.jpg", 96, 64, MetadataPolicy.parse("none"), w -> { });
        assertTrue(none.metadata().isEmpty());
        MetadataTransfer.Prepared xmpOnly = MetadataTransfer.prepare(jpeg, "cam.jpg", 96, 64, MetadataPolicy.parse("xmp"), w -> { });
        assertTrue(xmpOnly.metadata().exif().isEmpty());
        assertTrue(xmpOnly.metadata().xmp().isPresent());
        assertEquals(MetadataPolicy.DEFAULT, MetadataPolicy.parse("exif,xmp,icc"));
        assertEquals(MetadataPolicy.ALL, MetadataPolicy.parse("ALL"));
        assertThrows(IllegalArgumentException.class, () -> MetadataPolicy.parse("exif,gps"));
        for (String bad : new String[] {",", "exif,", "", "all,exif", "exif, none"}) {
            assertThrows(IllegalArgumentException.class, () -> MetadataPolicy.parse(bad), "'" + bad + "'");
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MetadataPolicy.parse("all,exif")).getMessage()
                .contains("'all' stands alone"));
        assertEquals(MetadataPolicy.parse("exif, xmp"), MetadataPolicy.parse(" EXIF,xmp "));
        assertTrue(MetadataExtractor.extract(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, "x", w -> { }).exif() == null);
        SdcMetadata.of(m.exif(), null, null); // the extracted EXIF is a valid block
    }
}
