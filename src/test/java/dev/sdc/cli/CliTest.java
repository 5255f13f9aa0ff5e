package dev.sdc.cli;

import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The command line as a user drives it: exit codes, one-line messages, no partial outputs. */
class CliTest {
    static final Path TEST_BUNDLE = Path.of("testdata/bundles/test");
    static final Path IMAGE = Path.of("testdata/images/shapes-200x120.png");

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result sdc(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    /** {@link #sdc} on {@code args} followed by a test's {@code extra} arguments. */
    static Result sdc(String[] args, String... extra) {
        String[] all = Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return sdc(all);
    }

    private Path encoded() {
        Path sdc = dir.resolve("a.sdc");
        Result r = sdc("encode", IMAGE.toString(), sdc.toString(), "--model", TEST_BUNDLE.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        return sdc;
    }

    static void assertOneLineError(Result r, int code) {
        assertEquals(code, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "expected a one-line error, got: " + r.err());
        assertTrue(lines[0].startsWith("sdc: "), r.err());
        assertFalse(r.err().contains("\tat "), "stack trace leaked: " + r.err());
    }

    private List<Path> filesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    @Test
    void helpAndVersionExitZero() {
        assertEquals(0, sdc("--help").code());
        assertEquals(0, sdc("encode", "--help").code());
        assertEquals(0, sdc("decode", "--help").code());
        Result v = sdc("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("sdc "), v.out());
    }

    /** Scripts branch on exit codes: --help and the README list every one, and --help fits 80 columns. */
    @Test
    void helpAndReadmeListEveryExitCode() throws IOException {
        String help = sdc("--help").out();
        String readme = Files.readString(Path.of("README.md"));
        for (dev.sdc.ExitCode c : dev.sdc.ExitCode.values()) {
            assertTrue(help.contains("\n  " + c.code() + "  " + c.help() + "\n"), c + " missing from --help:\n" + help);
            assertTrue(readme.contains("\n| " + c.code() + " | "), c + " missing from README's exit-code table");
        }
        for (String line : help.split("\n")) {
            assertTrue(line.length() <= 80, "wider than 80 columns: " + line);
        }
    }

    /**
     * A usage example (a description line that starts with a space) is laid out by hand: picocli must not
     * wrap it, or a path such as OUTDIR/<relative path>.sdc breaks across lines with its tail flush left.
     */
    @Test
    void usageExamplesFitTheHelpWidth() {
        picocli.CommandLine root = new picocli.CommandLine(new SdcCommand(new SdcCommand.Stdio(null, null, false)));
        int examples = 0;
        for (picocli.CommandLine sub : root.getSubcommands().values()) {
            String name = sub.getCommandName();
            String help = sdc(name, "--help").out();
            for (String line : sub.getCommandSpec().usageMessage().description()) {
                if (line.startsWith(" ")) {
                    assertTrue(help.contains("\n" + line + "\n"), name + ": wrapped: " + line + "\n" + help);
                    examples++;
                }
            }
        }
        assertTrue(examples >= 8, "encode, decode and completion show examples: " + examples);
    }

    @Test
    void roundTripKeepsSizeAndInfoPrintsHeader() {
        Path sdc = encoded();
        Path png = dir.resolve("b.png");
        Result d = sdc("decode", sdc.toString(), png.toString(), "--model", TEST_BUNDLE.toString(), "-q");
        assertEquals(0, d.code(), d.err());
        RgbImage back = ImageFiles.read(png);
        assertEquals(200, back.width());
        assertEquals(120, back.height());
        Result info = sdc("info", sdc.toString());
        assertEquals(0, info.code(), info.err());
        for (String field : new String[] {"200 x 120", "test", "palette size", "strength", "bytes", "bpp"}) {
            assertTrue(info.out().contains(field), field + " missing in: " + info.out());
        }
        assertFalse(info.out().matches("(?s).*\\b1 (steps|blocks)\\b.*"), info.out());
    }

    @Test
    void unknownOptionIsUsageError() {
        assertOneLineError(sdc("encode", "--bogus", "a", "b"), 2);
        assertOneLineError(sdc("encode", IMAGE.toString(), dir.resolve("x.sdc").toString(), "--colors", "0"), 2);
        assertOneLineError(sdc("decode", "a.sdc", dir.resolve("x.webp").toString()), 2);
        assertOneLineError(sdc(), 2);
        assertOneLineError(sdc("encode", IMAGE.toString(), dir.resolve("x.sdc").toString(), "--preset", "bogus"), 2);
    }

    @Test
    void contradictoryOptionsAreUsageErrorsAndWriteNothing() throws IOException {
        Path sdc = encoded();
        Path png = dir.resolve("y.png");
        String[] decode = {"decode", sdc.toString(), png.toString(), "--model", TEST_BUNDLE.toString()};
        Result r = sdc(decode, "--format", "jpg");
        assertOneLineError(r, 2); // JPEG bytes under a .png name
        assertTrue(r.err().contains("--format jpg does not match"), r.err());
        assertOneLineError(sdc(decode, "--no-denoise", "--steps", "5"), 2);
        assertOneLineError(sdc(decode, "--no-denoise", "--strength", "0.1"), 2);
        assertOneLineError(sdc(decode, "--no-denoise", "--preset", "buehlmann"), 2);
        assertOneLineError(sdc(decode, "-q", "-v"), 2);
        assertOneLineError(sdc("encode", IMAGE.toString(), dir.resolve("x.sdc").toString(), "-q", "--verbose"), 2);
        assertFalse(Files.exists(png));
        assertFalse(Files.exists(dir.resolve("x.sdc")));

        // the same format under another spelling, or a name that is no image extension, is fine
        assertEquals(0, sdc("decode", sdc.toString(), dir.resolve("y.jpg").toString(), "--model", TEST_BUNDLE.toString(),
                "--format", "jpeg").code());
        Path odd = dir.resolve("y.out");
        assertEquals(0, sdc("decode", sdc.toString(), odd.toString(), "--model", TEST_BUNDLE.toString(), "--format", "bmp")
                .code());
        assertEquals('B', Files.readAllBytes(odd)[0]);
    }

    /** The summary names the palette the file has: a flat image has fewer distinct latent colours than asked. */
    @Test
    void encodeSummaryReportsThePaletteTheFileHas() throws IOException {
        Path flat = dir.resolve("flat.png");
        byte[] grey = new byte[64 * 64 * 3];
        java.util.Arrays.fill(grey, (byte) 128);
        ImageFiles.write(new RgbImage(64, 64, grey), flat);
        Path sdc = dir.resolve("flat.sdc");
        Result r = sdc("encode", flat.toString(), sdc.toString(), "--model", TEST_BUNDLE.toString());
        assertEquals(0, r.code(), r.err());
        Result info = sdc("info", sdc.toString());
        String size = info.out().lines().filter(l -> l.startsWith("palette size:")).findFirst().orElseThrow()
                .replaceAll("\\D", "");
        int colours = Integer.parseInt(size);
        assertTrue(colours < 256, "a flat image should not fill 256 colours: " + colours);
        assertTrue(r.err().contains("(" + colours + (colours == 1 ? " colour" : " colours") + ", 256 asked, bundle test)"),
                r.err());
        // With --size the search's level can pass the image's colour count; the line names the file's count once.
        r = sdc("encode", "-f", flat.toString(), sdc.toString(), "--model", TEST_BUNDLE.toString(), "--size", "60000");
        assertEquals(0, r.code(), r.err());
        String plural = colours == 1 ? " colour" : " colours";
        assertTrue(r.err().contains("(" + colours + plural + ", bundle test); target 60000 B: chose "), r.err());
        assertTrue(r.err().contains(": chose " + colours + plural + " (all the image has), dither"), r.err());
        assertFalse(r.err().replace(dir.toString(), "DIR").contains("256"), r.err()); // the random temp path may hold "256"
        r = sdc("encode", "-f", IMAGE.toString(), sdc.toString(), "--model", TEST_BUNDLE.toString(), "--colors", "1");
        assertTrue(r.err().contains("(1 colour, bundle test)"), r.err());
    }

    /** Java reads "" as the current folder: an empty argument is a usage error, and nothing is written. */
    @Test
    void anEmptyPathArgumentIsAUsageError() throws IOException {
        Path sdc = encoded();
        long before = filesIn(dir).size();
        for (String[] args : new String[][] {{"decode", sdc.toString(), ""}, {"decode", "", "z.png"},
                {"decode", "-o", "", sdc.toString()}, {"encode", "-o", dir.toString(), ""}, {"info", ""}}) {
            Result r = sdc(args);
            assertOneLineError(r, 2);
            assertTrue(r.err().contains("empty"), r.err());
        }
        assertEquals(before, filesIn(dir).size());
    }

    @Test
    void missingInputIsBadInputAndWritesNothing() throws IOException {
        Path out = dir.resolve("x.sdc");
        assertOneLineError(sdc("encode", dir.resolve("nope.png").toString(), out.toString(), "--model", TEST_BUNDLE.toString()), 3);
        assertFalse(Files.exists(out));
        assertOneLineError(sdc("decode", dir.resolve("nope.sdc").toString(), dir.resolve("x.png").toString(), "--model", TEST_BUNDLE.toString()), 3);
        assertEquals(0, filesIn(dir).size());
    }

    @Test
    void notAnImageIsBadInput() throws IOException {
        Path txt = dir.resolve("notes.png");
        Files.writeString(txt, "just text");
        Path out = dir.resolve("x.sdc");
        assertOneLineError(sdc("encode", txt.toString(), out.toString(), "--model", TEST_BUNDLE.toString()), 3);
        assertFalse(Files.exists(out));
    }

    @Test
    void corruptSdcIsBadInputAndExistingOutputSurvives() throws IOException {
        Path sdc = encoded();
        byte[] bytes = Files.readAllBytes(sdc);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(sdc, bytes);
        Path png = dir.resolve("keep.png");
        Files.writeString(png, "previous content");
        // An existing output is never replaced without --force (exit 5); with --force the corrupt input is
        // reported (exit 3, naming the file) and the existing output still survives.
        assertOneLineError(sdc("decode", sdc.toString(), png.toString(), "--model", TEST_BUNDLE.toString()), 5);
        Result r = sdc("decode", sdc.toString(), png.toString(), "--model", TEST_BUNDLE.toString(), "--force");
        assertOneLineError(r, 3);
        assertTrue(r.err().startsWith("sdc: error: " + sdc + ": corrupt file: "), r.err());
        assertEquals("previous content", Files.readString(png));
        Result info = sdc("info", sdc.toString());
        assertOneLineError(info, 3);
        assertTrue(info.err().startsWith("sdc: error: " + sdc + ": corrupt file: "), info.err());
    }

    @Test
    void wrongBundleIsModelError() throws IOException {
        Path sdc = encoded();
        Path other = dir.resolve("other-bundle");
        Files.createDirectories(other);
        try (Stream<Path> s = Files.list(TEST_BUNDLE)) {
            for (Path p : s.toList()) {
                Files.copy(p, other.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path manifest = other.resolve("bundle.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"name\": \"test\"", "\"name\": \"other\""));
        Path png = dir.resolve("x.png");
        Result r = sdc("decode", sdc.toString(), png.toString(), "--model", other.toString());
        assertOneLineError(r, 4);
        assertTrue(r.err().contains("'test'") && r.err().contains("'other'"), r.err());
        assertFalse(Files.exists(png));
    }

    @Test
    void outputThatIsTheInputIsRefused() throws IOException {
        Path copy = dir.resolve("in.png");
        Files.copy(IMAGE, copy);
        byte[] before = Files.readAllBytes(copy);
        assertOneLineError(sdc("encode", copy.toString(), copy.toString(), "--model", TEST_BUNDLE.toString()), 2);
        assertArrayEquals(before, Files.readAllBytes(copy));
    }

    @Test
    void rootAsOutputIsAnErrorNotACrash() {
        Path sdc = encoded();
        Result r = sdc("decode", sdc.toString(), "/", "--model", TEST_BUNDLE.toString());
        assertTrue(r.code() == 2 || r.code() == 5, r.err());
        assertOneLineError(r, r.code());
    }

    @Test
    void hugeClaimedImageIsRejectedBeforeDecoding() throws IOException {
        // A valid 1x1 PNG whose IHDR claims 100000 x 100000: rejected from the header, never decoded.
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", png);
        byte[] b = png.toByteArray();
        java.nio.ByteBuffer.wrap(b, 16, 8).putInt(100_000).putInt(100_000); // IHDR width, height
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 12, 17); // chunk type + data
        java.nio.ByteBuffer.wrap(b, 29, 4).putInt((int) crc.getValue());
        Path huge = dir.resolve("huge.png");
        Files.write(huge, b);
        Path out = dir.resolve("x.sdc");
        Result r = sdc("encode", huge.toString(), out.toString(), "--model", TEST_BUNDLE.toString());
        assertOneLineError(r, 3);
        assertTrue(r.err().contains("100000x100000"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void outputsGetOrdinaryPermissions() throws IOException {
        Path sdc = encoded();
        var perms = Files.getPosixFilePermissions(sdc);
        assertTrue(perms.contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ));
        // not forced to owner-only (0600) as a raw temp file would be; the umask decides the rest
        Path fresh = Files.createFile(dir.resolve("fresh"));
        assertEquals(Files.getPosixFilePermissions(fresh), perms);
    }

    @Test
    void missingModelIsModelError() {
        assertOneLineError(sdc("encode", IMAGE.toString(), dir.resolve("x.sdc").toString(), "--model", dir.resolve("none").toString()), 4);
    }

    @Test
    void unwritableOutputIsIoError() throws IOException {
        Path sdc = encoded();
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        // The "folder" is a regular file, so nothing can be created inside it, even as root.
        assertOneLineError(sdc("decode", sdc.toString(), blocker.resolve("x.png").toString(), "--model", TEST_BUNDLE.toString()), 5);
        assertOneLineError(sdc("encode", IMAGE.toString(), dir.resolve("no/such/x.sdc").toString(), "--model", TEST_BUNDLE.toString()), 5);
        assertOneLineError(sdc("encode", IMAGE.toString(), dir.toString(), "--model", TEST_BUNDLE.toString()), 5);
    }
}
