package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.io.OutputKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.sdc.cli.CliTest.IMAGE;
import static dev.sdc.cli.CliTest.TEST_BUNDLE;
import static dev.sdc.cli.CliTest.assertOneLineError;
import static org.junit.jupiter.api.Assertions.*;

/** Many inputs, -o/-r/-j, --force, stdin/stdout, and how existing outputs of every kind are treated. */
class BatchCliTest {
    @TempDir
    Path dir;

    static CliTest.Result sdc(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--model", TEST_BUNDLE.toString()));
        return CliTest.sdc(a.toArray(String[]::new));
    }

    record Binary(int code, byte[] stdout, String err) {
    }

    static Binary sdcBinary(byte[] stdin, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--model", TEST_BUNDLE.toString()));
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = Main.run(a.toArray(String[]::new), new ByteArrayInputStream(stdin), bin, false,
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        return new Binary(code, bin.toByteArray(), err.toString());
    }

    /** "@name" is a file like any other, not picocli's argument file (which would splice in its lines). */
    @Test
    void anAtNameIsAFileNotAnArgumentFile() throws IOException {
        Path options = Files.writeString(dir.resolve("options.txt"), "--bogus\n");
        // expanded, "@/…/options.txt" would become --bogus (exit 2); as a name it is a missing input (exit 3)
        CliTest.Result r = sdc("encode", "-q", "@" + options, dir.resolve("out.sdc").toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("@" + options), r.err());
    }

    @Test
    void aFailedWriteToStdoutIsAnIoErrorNotSuccess() {
        // what a full disk or a closed pipe behind "sdc encode IN - > OUT" looks like to the CLI: once as the
        // raw stream main() passes, once wrapped in a PrintStream (which hides the exception)
        java.io.OutputStream full = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        for (java.io.OutputStream stdout : List.of(full, new java.io.PrintStream(full))) {
            StringWriter err = new StringWriter();
            int code = Main.run(new String[] {"encode", IMAGE.toString(), "-", "--model", TEST_BUNDLE.toString()},
                    new ByteArrayInputStream(new byte[0]), stdout, false, new PrintWriter(new StringWriter()),
                    new PrintWriter(err));
            assertEquals(ExitCode.IO.code(), code, err.toString());
            CliTest.assertOneLineError(new CliTest.Result(code, "", err.toString()), ExitCode.IO.code());
            assertTrue(err.toString().contains("stdout"), err.toString());
        }
    }

    @Test
    void aReaderThatWentAwayIsSilentWithSigpipesCode() throws IOException {
        // "sdc decode x.sdc - | head -c 100": the JDK reports EPIPE as an IOException "Broken pipe"
        java.io.OutputStream gone = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"encode", IMAGE.toString(), "-", "--model", TEST_BUNDLE.toString()},
                new ByteArrayInputStream(new byte[0]), gone, false, new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(141, code, err.toString());
        assertEquals("", err.toString(), "silent, as a C tool killed by SIGPIPE");
        // text on stdout (info, --help): main() checks it after the command
        dev.sdc.io.WatchedOutput text = new dev.sdc.io.WatchedOutput(gone);
        PrintWriter out = new PrintWriter(text, true);
        out.println("info line");
        StringWriter err2 = new StringWriter();
        assertEquals(141, Main.stdoutChecked(0, out, text, new PrintWriter(err2, true)));
        assertEquals("", err2.toString());
    }

    /** {@code sdc info -} reads the file from stdin, as encode and decode do; '-' twice is a usage error. */
    /**
     * A named device reads as a file of size 0, so the 256 MiB cap was skipped: {@code sdc info /dev/zero} ran
     * out of memory after 33 s. Reading stops at the magic now, as for any file that is not a .sdc, and stdin
     * is read no further either.
     */
    @Test
    void aDeviceOrAStreamThatIsNotSdcIsRefusedAtTheMagic() {
        for (String[] args : List.of(new String[] {"info", "/dev/zero"}, new String[] {"decode", "/dev/zero", dir.resolve("z.png").toString()})) {
            CliTest.Result r = sdc(args);
            assertEquals(3, r.code(), r.err());
            assertTrue(r.err().startsWith("sdc: error: /dev/zero: "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                return 0;
            }
        };
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"info", "-"}, endless, new ByteArrayOutputStream(), false,
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(3, code, err.toString());
        assertFalse(Files.exists(dir.resolve("z.png")));
    }

    /** {@code decode --max-pixels}: a file larger than the limit is refused from its header (exit 3), nothing written. */
    @Test
    void decodeMaxPixels() {
        Path sdc = dir.resolve("s.sdc");
        assertEquals(0, sdc("encode", "-q", IMAGE.toString(), sdc.toString()).code());
        Path png = dir.resolve("s.png");
        CliTest.Result r = sdc("decode", "--max-pixels", "1000", sdc.toString(), png.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("pixels is more than --max-pixels 1000"), r.err());
        assertFalse(Files.exists(png));
        assertEquals(2, sdc("decode", "--max-pixels", "0", sdc.toString(), png.toString()).code());
        assertEquals(2, sdc("decode", "--max-pixels", "268435457", sdc.toString(), png.toString()).code());
        assertEquals(0, sdc("decode", "-q", "--max-pixels", "24000", sdc.toString(), png.toString()).code());
    }

    /**
     * {@code decode --max-steps}: a file whose own denoise defaults (here the test bundle's strength 0.04 and
     * 2 steps: 2 UNet calls) ask for more calls than the limit is refused before any work (exit 3), nothing
     * written; {@code --steps} and {@code --no-denoise} are the user's own choice and decode.
     */
    @Test
    void decodeMaxSteps() {
        Path sdc = dir.resolve("s.sdc");
        assertEquals(0, sdc("encode", "-q", IMAGE.toString(), sdc.toString()).code());
        Path png = dir.resolve("s.png");
        CliTest.Result r = sdc("decode", "--max-steps", "1", sdc.toString(), png.toString());
        assertEquals(3, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("the file asks for 2 UNet denoise steps (steps 2 at strength 0.04), more than"
                + " --max-steps 1"), r.err());
        assertFalse(Files.exists(png));
        assertEquals(2, sdc("decode", "--max-steps", "-1", sdc.toString(), png.toString()).code());
        assertEquals(2, sdc("decode", "--max-steps", "1001", sdc.toString(), png.toString()).code());
        assertEquals(0, sdc("decode", "-q", "--max-steps", "1", "--steps", "1", sdc.toString(), png.toString()).code());
        assertEquals(0, sdc("decode", "-q", "-f", "--max-steps", "0", "--no-denoise", sdc.toString(), png.toString()).code());
        assertEquals(0, sdc("decode", "-q", "-f", "--max-steps", "2", sdc.toString(), png.toString()).code());
    }

    @Test
    void infoReadsStdin() {
        byte[] sdc = sdcBinary(new byte[0], "encode", IMAGE.toString(), "-").stdout();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"info", "-"}, new ByteArrayInputStream(sdc), new ByteArrayOutputStream(),
                false, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().startsWith("file:            stdin\n"), out.toString());
        assertTrue(out.toString().contains("image size:      200 x 120"), out.toString());
        code = Main.run(new String[] {"info", "-", "-"}, new ByteArrayInputStream(sdc), new ByteArrayOutputStream(),
                false, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(ExitCode.USAGE.code(), code);
    }

    /** Image bytes to a terminal are refused before any work, as gzip, xz and zstd refuse; --force writes them. */
    @Test
    void binaryOutputToATerminalNeedsForce() {
        for (String[] args : new String[][] {{"encode", IMAGE.toString(), "-"}, {"encode", "-f", IMAGE.toString(), "-"}}) {
            ByteArrayOutputStream bin = new ByteArrayOutputStream();
            StringWriter err = new StringWriter();
            List<String> a = new ArrayList<>(List.of(args));
            a.addAll(List.of("--model", TEST_BUNDLE.toString()));
            int code = Main.run(a.toArray(String[]::new), new ByteArrayInputStream(new byte[0]), bin, false, true,
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
            if (a.contains("-f")) {
                assertEquals(0, code, err.toString());
                assertTrue(bin.size() > 0);
            } else {
                CliTest.assertOneLineError(new CliTest.Result(code, "", err.toString()), ExitCode.USAGE.code());
                assertTrue(err.toString().contains("refusing to write binary data to a terminal"), err.toString());
                assertEquals(0, bin.size());
            }
        }
    }

    /**
     * '-' as an input is refused when stdin is a terminal, before any work, as zstd refuses: the command
     * would otherwise wait, silent, for image bytes nobody can type. Nothing is read and nothing written.
     */
    @Test
    void binaryInputFromATerminalIsRefused() {
        Path out = dir.resolve("from-terminal.sdc");
        for (String[] args : new String[][] {{"encode", "-", out.toString()}, {"decode", "-", dir.resolve("t.png").toString()},
                {"info", "-"}}) {
            List<String> a = new ArrayList<>(List.of(args));
            a.addAll(List.of("--model", TEST_BUNDLE.toString()));
            StringWriter err = new StringWriter();
            ByteArrayInputStream in = new ByteArrayInputStream(new byte[] {1, 2, 3});
            int code = Main.run(a.toArray(String[]::new), in, new ByteArrayOutputStream(), false, false, true,
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
            CliTest.assertOneLineError(new CliTest.Result(code, "", err.toString()), ExitCode.USAGE.code());
            assertTrue(err.toString().contains("refusing to read binary data from a terminal"), err.toString());
            assertEquals(3, in.available(), "stdin was read");
        }
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("t.png")));
    }

    /** in/a.png, in/sub/b.png, in/sub/deeper/c.png, in/notes.txt, in/.hidden.png */
    private Path photoTree() throws IOException {
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("sub/deeper"));
        Files.copy(IMAGE, in.resolve("a.png"));
        Files.copy(IMAGE, in.resolve("sub/b.png"));
        Files.copy(IMAGE, in.resolve("sub/deeper/c.png"));
        Files.writeString(in.resolve("notes.txt"), "not an image");
        Files.copy(IMAGE, in.resolve(".hidden.png"));
        return in;
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    /**
     * A file name holding a newline or a terminal escape sequence: every report line stays one line (a line
     * break shows as a space, as in every one-line message), shows the other control characters as '?' (as ls
     * does), and never names a file twice.
     */
    @Test
    void controlCharactersInANameCannotSplitALineNorDriveTheTerminal() throws IOException {
        Path in = Files.createDirectories(dir.resolve("odd"));
        Files.copy(IMAGE, in.resolve("a\nb\u001b[31m.png"));
        Files.writeString(in.resolve("c\rd.png"), "not a png");
        Path out = dir.resolve("odd-out");
        CliTest.Result r = sdc("encode", "-o", out.toString(), in.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("a\nb\u001b[31m.sdc")), "the file keeps its real name");
        assertFalse(r.err().chars().anyMatch(c -> c < 0x20 && c != '\n'), r.err());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains("a b?[31m.png") || l.contains("a b?[31m.sdc")), r.err());
        String failure = lines.stream().filter(l -> l.startsWith("sdc: error: ")).findFirst().orElseThrow();
        assertEquals(1, failure.split("c d\\.png", -1).length - 1, "named once: " + failure);
        assertTrue(lines.stream().allMatch(l -> l.startsWith("sdc: ") || l.startsWith("summary: ")
                || l.contains(in.toString()) || l.contains(out.toString())), r.err());
    }

    @Test
    void folderRoundTripKeepsRelativePaths() throws IOException {
        Path in = photoTree();
        Path flat = dir.resolve("flat");
        CliTest.Result r = sdc("encode", "-o", flat.toString(), in.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("a.sdc"), tree(flat), "without -r only the folder's own images");

        Path sdcs = dir.resolve("sdcs");
        r = sdc("encode", "-r", "-o", sdcs.toString(), in.toString(), IMAGE.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("a.sdc", "shapes-200x120.sdc", "sub/b.sdc", "sub/deeper/c.sdc"), tree(sdcs));
        assertTrue(r.err().contains("summary: 4 files, 4 ok, 0 failed"), r.err());
        assertTrue(r.err().contains("bpp over all images"), r.err());

        Path back = dir.resolve("back");
        r = sdc("decode", "-r", "-o", back.toString(), "--format", "jpg", sdcs.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("a.jpg", "shapes-200x120.jpg", "sub/b.jpg", "sub/deeper/c.jpg"), tree(back));
        RgbImage c = ImageFiles.read(back.resolve("sub/deeper/c.jpg"));
        assertEquals(200, c.width());
        assertEquals(120, c.height());

        Path pngs = dir.resolve("pngs");
        r = sdc("decode", "-q", "-o", pngs.toString(), sdcs.resolve("a.sdc").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "-q prints nothing on success");
        assertEquals(List.of("a.png"), tree(pngs), "default --format is png");
        r = sdc("decode", "-f", "-o", pngs.toString(), sdcs.resolve("a.sdc").toString());
        assertTrue(r.err().contains("summary: 1 file, 1 ok"), r.err());
    }

    @Test
    void jobsShareOneModelAndDoNotChangeTheBytes() throws IOException {
        Path in = photoTree();
        Files.copy(Path.of("testdata/images/landscape-500x500.png"), in.resolve("land.png"));
        Path one = dir.resolve("j1");
        Path three = dir.resolve("j3");
        assertEquals(0, sdc("encode", "-q", "-r", "-j", "1", "-o", one.toString(), in.toString()).code());
        CliTest.Result r = sdc("encode", "-q", "-r", "-j", "3", "-o", three.toString(), in.toString());
        assertEquals(0, r.code(), r.err());
        assertSameFiles(one, three);
        Path d1 = dir.resolve("d1");
        Path d3 = dir.resolve("d3");
        assertEquals(0, sdc("decode", "-q", "-r", "-j", "1", "-o", d1.toString(), one.toString()).code());
        assertEquals(0, sdc("decode", "-q", "-r", "-j", "3", "-o", d3.toString(), one.toString()).code());
        assertSameFiles(d1, d3);
    }

    private static void assertSameFiles(Path a, Path b) throws IOException {
        assertEquals(tree(a), tree(b));
        for (String f : tree(a)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f + " differs with -j");
        }
    }

    @Test
    void manyPositionalsWithoutOutputDirAreRefused() throws IOException {
        Path a = Files.copy(IMAGE, dir.resolve("a.png"));
        Path b = Files.copy(IMAGE, dir.resolve("b.png"));
        byte[] before = Files.readAllBytes(b);
        CliTest.Result r = sdc("encode", a.toString(), b.toString()); // what `sdc encode *.png` expands to
        assertOneLineError(r, 2);
        assertTrue(r.err().contains("does not end in .sdc") && r.err().contains("-o OUTDIR"), r.err());
        assertArrayEquals(before, Files.readAllBytes(b));
        assertOneLineError(sdc("encode", a.toString(), b.toString(), dir.resolve("c.sdc").toString()), 2);
        assertOneLineError(sdc("encode", a.toString()), 2);
        assertOneLineError(sdc("decode", "x.sdc"), 2);
        assertOneLineError(sdc("encode", dir.toString(), dir.resolve("c.sdc").toString()), 2); // folder needs -o
        assertOneLineError(sdc("encode", "-o", dir.resolve("o").toString(), "-"), 2); // stdin needs the 2-arg form
        assertOneLineError(sdc("encode", "-j", "0", a.toString(), dir.resolve("c.sdc").toString()), 2);
        CliTest.Result recursive = sdc("encode", "-r", a.toString(), dir.resolve("c.sdc").toString());
        assertOneLineError(recursive, 2); // -r means folders, which need -o: not silently nothing
        assertTrue(recursive.err().contains("-r works only with -o"), recursive.err());
        assertFalse(Files.exists(dir.resolve("c.sdc")));
    }

    @Test
    void aClosedStdinIsSaidSoNotReadFromAnotherFile() {
        // scripts/sdc gives the JVM /dev/null for a closed fd 0 and sets this; without it the JVM's first opened
        // file would become fd 0 and "stdin" would be read from it ("bad magic")
        System.setProperty("sdc.stdinClosed", "true");
        try {
            StringWriter err = new StringWriter();
            int code = Main.run(new String[] {"decode", "-", dir.resolve("x.png").toString(), "--model",
                    TEST_BUNDLE.toString()}, Main.stdin(), new ByteArrayOutputStream(), false,
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
            CliTest.assertOneLineError(new CliTest.Result(code, "", err.toString()), ExitCode.BAD_INPUT.code());
            assertTrue(err.toString().contains("cannot read stdin: it is closed"), err.toString());
        } finally {
            System.clearProperty("sdc.stdinClosed");
        }
        assertSame(System.in, Main.stdin());
    }

    @Test
    void sameOutputNameFromTwoInputsIsRefusedBeforeAnyWork() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(IMAGE, in.resolve("x.png"));
        ImageFiles.write(ImageFiles.read(IMAGE), in.resolve("x.bmp"));
        Path out = dir.resolve("out");
        CliTest.Result r = sdc("encode", "-o", out.toString(), in.toString());
        assertOneLineError(r, 2);
        assertTrue(r.err().contains("would both be written to"), r.err());
        assertFalse(Files.exists(out.resolve("x.sdc")));
    }

    @Test
    void existingOutputsAreKeptWithoutForce() throws IOException {
        Path out = dir.resolve("x.sdc");
        Files.writeString(out, "keep me");
        assertOneLineError(sdc("encode", IMAGE.toString(), out.toString()), 5);
        assertEquals("keep me", Files.readString(out));
        CliTest.Result r = sdc("encode", "--force", IMAGE.toString(), out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("SDC", new String(Files.readAllBytes(out), 1, 3, java.nio.charset.StandardCharsets.US_ASCII));

        Path in = photoTree();
        Path o = Files.createDirectories(dir.resolve("o"));
        Files.writeString(o.resolve("a.sdc"), "old");
        r = sdc("encode", "-r", "-o", o.toString(), in.toString());
        assertEquals(5, r.code(), r.err());
        assertTrue(r.err().contains("sdc: error: cannot write " + o.resolve("a.sdc") + ": it exists"), r.err());
        assertEquals("old", Files.readString(o.resolve("a.sdc")));
        assertTrue(Files.exists(o.resolve("sub/deeper/c.sdc")), "the other files are still written");
        assertTrue(r.err().contains("summary: 3 files, 2 ok, 1 failed"), r.err());
    }

    /** A rerun over a grown folder: --skip-existing makes only the new files and exits 0. */
    @Test
    void skipExistingMakesOnlyWhatIsMissing() throws IOException {
        Path in = photoTree();
        Path o = Files.createDirectories(dir.resolve("o"));
        Files.writeString(o.resolve("a.sdc"), "old");
        CliTest.Result r = sdc("encode", "-r", "--skip-existing", "-o", o.toString(), in.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("old", Files.readString(o.resolve("a.sdc")), "kept, whatever made it");
        assertTrue(Files.exists(o.resolve("sub/deeper/c.sdc")));
        assertTrue(r.err().contains(o.resolve("a.sdc") + ": exists, skipped"), r.err());
        assertTrue(r.err().contains("summary: 3 files, 2 ok, 1 skipped, 0 failed"), r.err());
        CliTest.Result again = sdc("encode", "-r", "--skip-existing", "-q", "-o", o.toString(), in.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().isEmpty(), again.err());
        assertOneLineError(sdc("encode", "-r", "--skip-existing", "-f", "-o", o.toString(), in.toString()), 2);
    }

    /** OUTDIR is made with the first output: a run stopped by its bundle leaves no empty folder. */
    @Test
    void aBadBundleLeavesNoEmptyOutputFolder() throws IOException {
        Path in = photoTree();
        Path o = dir.resolve("never");
        CliTest.Result r = CliTest.sdc("encode", "-o", o.toString(), in.toString(), "--model", dir.resolve("nobundle").toString());
        assertEquals(4, r.code(), r.err());
        assertFalse(Files.exists(o));
        Path file = Files.writeString(dir.resolve("afile"), "x");
        CliTest.Result under = sdc("encode", "-o", file.resolve("sub").toString(), in.toString());
        assertOneLineError(under, 5);
        assertTrue(under.err().contains("is not a folder"), under.err());
        Path dangling = Files.createSymbolicLink(dir.resolve("dl"), dir.resolve("nowhere"));
        CliTest.Result link = sdc("encode", "-o", dangling.resolve("sub").toString(), in.toString());
        assertOneLineError(link, 5);
        assertTrue(link.err().contains("broken symbolic link"), link.err());
    }

    @Test
    void oneBadFileDoesNotStopTheOthersAndTheExitCodeTellsWhy() throws IOException {
        Path in = photoTree();
        Files.writeString(in.resolve("broken.png"), "just text");
        Path o = dir.resolve("o");
        CliTest.Result r = sdc("encode", "-o", o.toString(), in.toString());
        assertEquals(3, r.code(), "every failure was bad input: " + r.err());
        assertTrue(r.err().contains("sdc: error: " + in.resolve("broken.png") + ": not a"), r.err());
        assertTrue(Files.exists(o.resolve("a.sdc")));
        assertFalse(Files.exists(o.resolve("broken.sdc")));

        // two kinds of failure: bad input and an existing output
        Path o2 = Files.createDirectories(dir.resolve("o2"));
        Files.writeString(o2.resolve("a.sdc"), "old");
        Files.copy(IMAGE, in.resolve("z.png"));
        r = sdc("encode", "-o", o2.toString(), in.toString());
        assertEquals(6, r.code(), r.err());
        assertTrue(Files.exists(o2.resolve("z.sdc")));
        assertTrue(r.err().contains("summary: 3 files, 1 ok, 2 failed"), r.err());
    }

    @Test
    void corruptFilesInABatchAreNamed() throws IOException {
        Path sdcs = Files.createDirectories(dir.resolve("s"));
        assertEquals(0, sdc("encode", "-q", IMAGE.toString(), sdcs.resolve("good.sdc").toString()).code());
        byte[] bytes = Files.readAllBytes(sdcs.resolve("good.sdc"));
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(sdcs.resolve("bad.sdc"), bytes);
        Files.writeString(sdcs.resolve("text.sdc"), "hello");
        Path o = dir.resolve("o");
        CliTest.Result r = sdc("decode", "-o", o.toString(), sdcs.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("sdc: error: " + sdcs.resolve("bad.sdc") + ": corrupt file: "), r.err());
        assertTrue(r.err().contains("sdc: error: " + sdcs.resolve("text.sdc") + ": corrupt file: "), r.err());
        assertEquals(List.of("good.png"), tree(o));
    }

    @Test
    void dashIsStdinOrStdout() throws IOException {
        Path file = dir.resolve("file.sdc");
        assertEquals(0, sdc("encode", "-q", IMAGE.toString(), file.toString()).code());
        byte[] expected = Files.readAllBytes(file);

        Binary toStdout = sdcBinary(new byte[0], "encode", "-q", IMAGE.toString(), "-");
        assertEquals(0, toStdout.code(), toStdout.err());
        assertArrayEquals(expected, toStdout.stdout());

        Path fromStdin = dir.resolve("stdin.sdc");
        Binary in = sdcBinary(Files.readAllBytes(IMAGE), "encode", "-q", "-", fromStdin.toString());
        assertEquals(0, in.code(), in.err());
        assertArrayEquals(expected, Files.readAllBytes(fromStdin));

        Binary png = sdcBinary(new byte[0], "decode", "-q", file.toString(), "-", "--format", "png");
        assertEquals(0, png.code(), png.err());
        Path decoded = dir.resolve("decoded.png");
        assertEquals(0, sdc("decode", "-q", file.toString(), decoded.toString()).code());
        assertArrayEquals(Files.readAllBytes(decoded), png.stdout());

        Binary both = sdcBinary(expected, "decode", "-q", "-", "-");
        assertEquals(0, both.code(), both.err());
        assertArrayEquals(Files.readAllBytes(decoded), both.stdout(), "stdin to stdout, png by default");

        Binary bad = sdcBinary("garbage".getBytes(), "decode", "-", "-");
        assertOneLineError(new CliTest.Result(bad.code(), "", bad.err()), 3);
        assertTrue(bad.err().startsWith("sdc: error: stdin: corrupt file: "), bad.err());
    }

    @Test
    void unknownOptionIsExactlyOneLine() {
        CliTest.Result r = CliTest.sdc("encode", "--bogus", "a", "b");
        assertOneLineError(r, 2);
        assertTrue(r.err().contains("--bogus") && r.err().contains("sdc encode --help"), r.err());
    }

    /** picocli reports a missing argument first; a typo of an option is what the user needs to hear about. */
    @Test
    void unknownOptionWinsOverAMissingArgument() {
        for (String[] args : new String[][] {{"encode", "--bogus"}, {"encode", "-q", "--bogus=3"}, {"decode", "-fq", "-x"}}) {
            CliTest.Result r = CliTest.sdc(args);
            assertOneLineError(r, 2);
            String unknown = args[args.length - 1].split("=")[0];
            assertTrue(r.err().contains("Unknown option: '" + unknown + "'"), r.err());
        }
        // known options, clustered or with an attached value, leave picocli's own message
        for (String[] args : new String[][] {{"encode", "-qf"}, {"encode", "-j4"}, {"encode", "--colors=5"}, {"encode", "--", "-z"}}) {
            CliTest.Result r = CliTest.sdc(args);
            assertOneLineError(r, 2);
            assertFalse(r.err().contains("Unknown option"), String.join(" ", args) + ": " + r.err());
        }
    }

    @Test
    void aFileReachedTwiceIsRefusedBeforeAnyWork() throws IOException {
        Path in = photoTree();
        Path out = dir.resolve("out");
        CliTest.Result r = sdc("encode", "-r", "-o", out.toString(), in.toString(), in.resolve("sub").toString());
        assertOneLineError(r, 2);
        assertTrue(r.err().contains("is an input twice"), r.err());
        assertFalse(Files.exists(out.resolve("sub/b.sdc")));
        assertOneLineError(sdc("encode", "-o", out.toString(), IMAGE.toString(), "./" + IMAGE), 2);
    }

    @Test
    void infoListsEveryFileAndNamesTheBadOne() throws IOException {
        Path in = photoTree();
        Path sdcs = dir.resolve("sdcs");
        assertEquals(0, sdc("encode", "-q", "-o", sdcs.toString(), in.toString()).code());
        Path a = sdcs.resolve("a.sdc");
        CliTest.Result both = CliTest.sdc("info", a.toString(), a.toString());
        assertEquals(0, both.code(), both.err());
        assertEquals(2, both.out().split("file:  ", -1).length - 1, both.out());
        assertTrue(both.out().contains("bpp:"), both.out());

        Path missing = dir.resolve("missing.sdc");
        CliTest.Result one = CliTest.sdc("info", a.toString(), missing.toString(), a.toString());
        assertEquals(3, one.code(), one.err());
        assertEquals(2, one.out().split("file:  ", -1).length - 1, "the good files are still listed: " + one.out());
        assertTrue(one.err().startsWith("sdc: error: ") && one.err().contains("missing.sdc"), one.err());
        assertEquals(1, one.err().strip().split("\n").length, one.err());
    }

    // ---- output kinds: made in the temp folder, never the system's /dev nodes ----

    private static boolean make(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void characterDeviceIsWrittenThroughNeverReplaced() {
        Path nul = dir.resolve("null");
        org.junit.jupiter.api.Assumptions.assumeTrue(make("mknod", nul.toString(), "c", "1", "3"),
                "mknod needs root");
        CliTest.Result r = sdc("encode", IMAGE.toString(), nul.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(OutputKind.CHARACTER_DEVICE, OutputKind.of(nul), "still a device, not a regular file");
        Path sdc = dir.resolve("a.sdc");
        assertEquals(0, sdc("encode", "-q", IMAGE.toString(), sdc.toString()).code());
        r = sdc("decode", sdc.toString(), nul.toString()); // no extension: png
        assertEquals(0, r.code(), r.err());
        assertEquals(OutputKind.CHARACTER_DEVICE, OutputKind.of(nul));
    }

    @Test
    void blockDeviceIsRefused() {
        Path blk = dir.resolve("blk");
        org.junit.jupiter.api.Assumptions.assumeTrue(make("mknod", blk.toString(), "b", "7", "250"),
                "mknod needs root");
        CliTest.Result r = sdc("encode", "--force", IMAGE.toString(), blk.toString());
        assertOneLineError(r, 5);
        assertTrue(r.err().contains("block device"), r.err());
        assertEquals(OutputKind.BLOCK_DEVICE, OutputKind.of(blk));
    }

    @Test
    void namedPipeIsWrittenThrough() throws Exception {
        Path fifo = dir.resolve("pipe");
        org.junit.jupiter.api.Assumptions.assumeTrue(make("mkfifo", fifo.toString()), "mkfifo unavailable");
        Path file = dir.resolve("file.sdc");
        assertEquals(0, sdc("encode", "-q", IMAGE.toString(), file.toString()).code());
        java.util.concurrent.CompletableFuture<byte[]> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo); // blocks until the writer opens and closes the pipe
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CliTest.Result r = sdc("encode", IMAGE.toString(), fifo.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(file), read.get(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(OutputKind.FIFO, OutputKind.of(fifo));
    }

    @Test
    void symlinkStaysAndItsTargetIsWritten() throws IOException {
        Path target = dir.resolve("target.sdc");
        Files.writeString(target, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.sdc"), target.getFileName());
        assertOneLineError(sdc("encode", IMAGE.toString(), link.toString()), 5);
        assertEquals("old", Files.readString(target));
        CliTest.Result r = sdc("encode", "--force", IMAGE.toString(), link.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("SDC", new String(Files.readAllBytes(target), 1, 3, java.nio.charset.StandardCharsets.US_ASCII));

        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.sdc"), Path.of("new.sdc"));
        r = sdc("encode", IMAGE.toString(), dangling.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isSymbolicLink(dangling));
        assertTrue(Files.isRegularFile(dir.resolve("new.sdc"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    /** A malformed runtime setting is the command's usage error, before any file: not each file's failure. */
    @Test
    void aMalformedRuntimeSettingFailsTheCommandNotEachFile() throws IOException {
        Path in = Files.createDirectories(dir.resolve("env-in"));
        Files.copy(Path.of("testdata/images/shapes-200x120.png"), in.resolve("a.png"));
        Files.copy(Path.of("testdata/images/shapes-200x120.png"), in.resolve("b.png"));
        Path out = dir.resolve("env-out");
        System.setProperty(dev.sdc.model.DjlRuntime.THREADS_PROPERTY, "abc");
        try {
            CliTest.Result r = CliTest.sdc("encode", "-o", out.toString(), in.toString(), "--model",
                    CliTest.TEST_BUNDLE.toString());
            CliTest.assertOneLineError(r, 2);
            assertTrue(r.err().startsWith("sdc: error: sdc.threads must be"), r.err());
        } finally {
            System.clearProperty(dev.sdc.model.DjlRuntime.THREADS_PROPERTY);
        }
        assertFalse(Files.exists(out));
    }
}
