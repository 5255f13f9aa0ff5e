package dev.sdc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sdc.ExitCode;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.metadata.CameraStylePhoto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera-style JPEG's metadata through {@code sdc encode} and {@code sdc decode}, checked with an
 * independent reader: exiftool (Debian's libimage-exiftool-perl, installed by .ci/run; skipped without it).
 */
class MetadataCliTest {
    @TempDir
    Path dir;

    private Path camera() throws IOException {
        Path jpg = dir.resolve("cam.jpg");
        Files.write(jpg, CameraStylePhoto.jpeg(192, 128, CameraStylePhoto.DEFAULT_MAKERNOTE));
        return jpg;
    }

    private Path encode(Path in, String name, String... extra) {
        return run("encode", in, dir.resolve(name), extra);
    }

    private Path decode(Path sdc, String name, String... extra) {
        return run("decode", sdc, dir.resolve(name), extra);
    }

    /** {@code sdc COMMAND in out --model <test bundle> -q EXTRA...}, which must succeed; returns out. */
    private static Path run(String command, Path in, Path out, String... extra) {
        CliTest.Result r = CliTest.sdc(new String[] {command, in.toString(), out.toString(), "--model",
                CliTest.TEST_BUNDLE.toString(), "-q"}, extra);
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private static boolean hasExiftool() {
        try {
            return new ProcessBuilder("exiftool", "-ver").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** exiftool's "-G -s -n" listing: lines like "[EXIF] Orientation : 1". */
    private static String exiftool(Path file) throws Exception {
        Process p = new ProcessBuilder("exiftool", "-G", "-s", "-n", "-a", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out.replaceAll(" +", " ");
    }

    @Test
    void cameraMetadataSurvivesEncodeAndDecodeAsExiftoolShows() throws Exception {
        assumeTrue(hasExiftool(), "exiftool not installed");
        Path sdc = encode(camera(), "cam.sdc");
        for (String ext : new String[] {"jpg", "png", "tif"}) {
            Path decoded = decode(sdc, "out." + ext);
            dev.sdc.image.RgbImage upright = dev.sdc.image.ImageFiles.read(decoded);
            assertEquals(128, upright.width(), ext + ": decoded upright");
            assertEquals(192, upright.height(), ext + ": decoded upright");
            String tags = exiftool(decoded);
            for (String want : new String[] {"[EXIF] Make : SdcTestCam", "[EXIF] Model : Model X1",
                    "[EXIF] DateTimeOriginal : " + CameraStylePhoto.DATE, "[EXIF] Orientation : 1",
                    "[EXIF] GPSLatitude : 47.375", "[EXIF] LensModel : Test Lens 35mm F1.8",
                    // stored 192x128 with Orientation 6: sdc encodes it upright, and the size tags follow
                    "[EXIF] ExifImageWidth : 128", "[EXIF] ExifImageHeight : 192",
                    "[XMP] Rating : 4", "[XMP] Title : Harbour at dawn",
                    "[XMP] Orientation : 1"}) {
                assertTrue(tags.contains(want), ext + ": missing " + want + " in\n" + tags);
            }
            assertFalse(tags.contains("ThumbnailImage"), ext + ": thumbnail kept by default");
            assertFalse(tags.contains("MakerNote"), ext + ": MakerNote kept by default");
            assertTrue(ext.equals("png") ? tags.contains("[PNG] SRGBRendering") : tags.contains("ProfileDescription : sRGB"),
                    ext + ": not tagged sRGB\n" + tags);
        }
    }

    @Test
    void allKeepsThumbnailAndMakerNoteAndNoneKeepsNothing() throws Exception {
        assumeTrue(hasExiftool(), "exiftool not installed");
        Path in = camera();
        Path all = encode(in, "all.sdc", "--metadata", "all");
        Path def = encode(in, "def.sdc");
        Path none = encode(in, "none.sdc", "--metadata", "none");
        assertTrue(Files.size(all) > Files.size(def) + CameraStylePhoto.DEFAULT_MAKERNOTE);
        assertTrue(Files.size(def) > Files.size(none));
        assertTrue(SdcReader.read(Files.readAllBytes(none)).metadata().isEmpty());
        String allTags = exiftool(decode(all, "all.jpg"));
        assertTrue(allTags.contains("ThumbnailImage"), allTags);
        assertTrue(allTags.contains("[EXIF] Orientation : 1"), allTags);
        for (String ext : new String[] {"jpg", "png"}) {
            String noneTags = exiftool(decode(none, "none." + ext));
            assertFalse(noneTags.contains("[EXIF]"), noneTags);
            assertFalse(noneTags.contains("[XMP]"), noneTags);
        }
        String stripped = exiftool(decode(def, "stripped.jpg", "--metadata", "none"));
        assertFalse(stripped.contains("[EXIF] Make"), stripped);
    }

    @Test
    void infoListsTheMetadata() throws Exception {
        Path sdc = encode(camera(), "cam.sdc");
        CliTest.Result info = CliTest.sdc("info", sdc.toString());
        assertEquals(0, info.code(), info.err());
        for (String want : new String[] {"metadata:", "exif:", "capture time:  " + CameraStylePhoto.DATE,
                "camera:        SdcTestCam Model X1", "gps:           present", "xmp:"}) {
            assertTrue(info.out().contains(want), want + " missing in\n" + info.out());
        }
    }

    /** A file's ICC name with a terminal escape sequence and a newline: the text shows it as one printable line. */
    @Test
    void infoTextCannotBeDrivenByTheFilesStrings() throws Exception {
        Path plain = dir.resolve("plain.sdc");
        assertEquals(0, CliTest.sdc("encode", "-q", CliTest.IMAGE.toString(), plain.toString(), "--model",
                CliTest.TEST_BUNDLE.toString()).code());
        dev.sdc.bitstream.SdcFile f = dev.sdc.bitstream.SdcReader.read(plain);
        Path odd = java.nio.file.Files.write(dir.resolve("odd.sdc"), dev.sdc.bitstream.SdcWriter.write(
                f.withMetadata(dev.sdc.bitstream.SdcMetadata.of(null, null, "\u001b]0;pwned\u0007\u001b[31mRED\nline"))));
        CliTest.Result info = CliTest.sdc("info", odd.toString());
        assertEquals(0, info.code(), info.err());
        assertFalse(info.out().chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r'), info.out());
        assertTrue(info.out().contains("?]0;pwned??[31mRED line"), info.out());
        String json = CliTest.sdc("info", "--json", odd.toString()).out();
        assertTrue(json.contains("\\u001b]0;pwned\\u0007"), "JSON keeps the string, escaped: " + json);
    }

    @Test
    void infoJsonIsOneObjectPerFileWithTheTextsValues() throws Exception {
        Path cam = encode(camera(), "cam.sdc");
        Path plain = dir.resolve("plain.sdc");
        assertEquals(0, CliTest.sdc("encode", "-q", CliTest.IMAGE.toString(), plain.toString(), "--model",
                CliTest.TEST_BUNDLE.toString()).code());
        CliTest.Result r = CliTest.sdc("info", "--json", cam.toString(), plain.toString(),
                dir.resolve("missing.sdc").toString());
        assertEquals(ExitCode.BAD_INPUT.code(), r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "the missing file is one stderr line: " + r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        com.google.gson.JsonObject c = com.google.gson.JsonParser.parseString(lines.get(0)).getAsJsonObject();
        String text = CliTest.sdc("info", cam.toString()).out();
        assertEquals(cam.toString(), c.get("file").getAsString());
        assertTrue(text.contains(c.get("width").getAsInt() + " x " + c.get("height").getAsInt()), text);
        assertTrue(text.contains("bytes:           " + c.get("bytes").getAsLong()), text);
        assertTrue(text.contains("palette size:    " + c.getAsJsonObject("quantizer").get("palette_size").getAsInt()), text);
        assertEquals("palette", c.getAsJsonObject("quantizer").get("mode").getAsString());
        com.google.gson.JsonObject exif = c.getAsJsonObject("metadata").getAsJsonObject("exif");
        assertEquals(CameraStylePhoto.DATE, exif.get("capture_time").getAsString());
        assertEquals("SdcTestCam Model X1", exif.get("camera").getAsString());
        assertTrue(exif.get("gps").getAsBoolean());
        com.google.gson.JsonObject p = com.google.gson.JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertTrue(p.get("metadata").isJsonNull(), "no metadata is null, not absent: " + lines.get(1));
        assertEquals(Files.size(plain), p.get("bytes").getAsLong());
    }

    @Test
    void malformedExifWarnsAndStillEncodes() throws Exception {
        byte[] jpeg = CameraStylePhoto.jpeg(96, 64, 100);
        int at = indexOf(jpeg, "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1)) + 6;
        jpeg[at + 4] = 0x7F; // IFD0 offset far outside the block
        Path in = dir.resolve("bad.jpg");
        Files.write(in, jpeg);
        Path sdc = dir.resolve("bad.sdc");
        CliTest.Result r = CliTest.sdc("encode", in.toString(), sdc.toString(), "--model", CliTest.TEST_BUNDLE.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("sdc: warning: ")).count(), r.err());
        assertTrue(r.err().startsWith("sdc: warning: " + in + ": malformed EXIF"), r.err());
        // -q silences warnings like every report (README "Warnings go to stderr and are silenced by -q")
        CliTest.Result quiet = CliTest.sdc("encode", in.toString(), sdc.toString(), "--model", CliTest.TEST_BUNDLE.toString(),
                "-q", "--force");
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals("", quiet.err());
        var md = SdcReader.read(Files.readAllBytes(sdc)).metadata();
        assertTrue(md.exif().isEmpty());
        assertTrue(md.xmp().isPresent());
    }

    /** An input image larger than any .sdc file (256 MiB) is still an image: its metadata is read, not refused. */
    @Test
    void inputLargerThanAnySdcFileStillEncodes() throws Exception {
        Path big = dir.resolve("big.jpg");
        Files.write(big, CameraStylePhoto.jpeg(192, 128, 1_000));
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(300L << 20); // zeros after the JPEG's end marker: sparse, quick to make
        }
        Path sdc = encode(big, "big.sdc");
        assertTrue(dev.sdc.bitstream.SdcReader.read(sdc).metadata().exif().isPresent(), "EXIF kept");
    }

    @Test
    void refusesSdcAsInputAndBadMetadataWords() throws Exception {
        Path sdc = encode(camera(), "cam.sdc");
        CliTest.Result again = CliTest.sdc("encode", sdc.toString(), dir.resolve("x.sdc").toString(), "--model",
                CliTest.TEST_BUNDLE.toString());
        assertEquals(3, again.code(), again.err());
        assertTrue(again.err().contains("already a .sdc file"), again.err());
        CliTest.Result bad = CliTest.sdc("encode", camera().toString(), dir.resolve("y.sdc").toString(), "--metadata", "gps");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("unknown metadata kind 'gps'"), bad.err());
    }

    private static int indexOf(byte[] a, byte[] b) {
        outer:
        for (int i = 0; i + b.length <= a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
