package dev.sdc.image;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ImageFilesTest {
    @TempDir
    Path dir;

    private static RgbImage pattern(int w, int h) {
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.set(x, y, 0, (x * 7) & 255);
                img.set(x, y, 1, (y * 5) & 255);
                img.set(x, y, 2, (x + y) & 255);
            }
        }
        return img;
    }

    @Test
    void losslessFormatsRoundTripExactly() {
        RgbImage img = pattern(37, 21);
        for (String ext : new String[] {"png", "bmp", "tif"}) {
            Path p = dir.resolve("a." + ext);
            ImageFiles.write(img, p);
            RgbImage back = ImageFiles.read(p);
            assertArrayEquals(img.rgb(), back.rgb(), ext);
        }
    }

    @Test
    void jpegRoundTripIsClose() {
        RgbImage img = pattern(40, 30);
        Path p = dir.resolve("a.jpg");
        ImageFiles.write(img, p);
        RgbImage back = ImageFiles.read(p);
        assertEquals(40, back.width());
        assertEquals(30, back.height());
    }

    @Test
    void notAnImageIsBadInput() throws Exception {
        Path p = dir.resolve("x.png");
        Files.writeString(p, "hello");
        SdcException e = assertThrows(SdcException.class, () -> ImageFiles.read(p));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void missingFileIsBadInput() {
        SdcException e = assertThrows(SdcException.class, () -> ImageFiles.read(dir.resolve("none.png")));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    }

    @Test
    void unknownExtensionIsUsageErrorAndWritesNothing() {
        Path p = dir.resolve("a.xyz");
        SdcException e = assertThrows(SdcException.class, () -> ImageFiles.write(pattern(4, 4), p));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertFalse(Files.exists(p));
    }

    @Test
    void missingFolderIsIoErrorAndExistingFileSurvives() throws Exception {
        SdcException e = assertThrows(SdcException.class,
                () -> ImageFiles.write(pattern(4, 4), dir.resolve("no/such/dir/a.png")));
        assertEquals(ExitCode.IO, e.exitCode());
    }

    /** A .sdc may be 65536 wide; a JPEG may not: refused from the size alone, before any pixel exists. */
    @Test
    void jpegSidesAreCheckedBeforeEncoding() {
        ImageFiles.checkEncodable("jpg", 65_500, 1);
        ImageFiles.checkEncodable("png", 65_536, 1);
        ImageFiles.checkEncodable("tif", 1, 65_536);
        for (String ext : new String[] {"jpg", "jpeg"}) {
            SdcException e = assertThrows(SdcException.class, () -> ImageFiles.checkEncodable(ext, 1, 65_501));
            assertEquals(dev.sdc.ExitCode.IO, e.exitCode());
            assertTrue(e.getMessage().contains("1x65501 is larger than JPEG's 65500 pixels a side"), e.getMessage());
        }
        SdcException e = assertThrows(SdcException.class,
                () -> ImageFiles.encode(new RgbImage(65_536, 1, new byte[3 * 65_536]), "jpg"));
        assertTrue(e.getMessage().startsWith("cannot encode jpeg: 65536x1"), e.getMessage());
    }

    @Test
    void anEmptyInputSaysItIsEmpty() throws java.io.IOException {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        SdcException e = assertThrows(SdcException.class, () -> ImageFiles.read(empty));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertEquals("cannot read " + empty + ": the file is empty", e.getMessage());
        e = assertThrows(SdcException.class, () -> ImageFiles.decode(new byte[0], "stdin"));
        assertEquals("stdin: empty (0 bytes), not an image", e.getMessage());
    }
}
