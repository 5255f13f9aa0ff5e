package dev.sdc.cli;

import dev.sdc.bitstream.SdcReader;
import dev.sdc.model.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only a whole sdc process shows ({@link Main#main}, not {@link Main#run}): how it ends on a signal, and on a stdout it cannot write. */
class ProcessCliTest {
    @TempDir
    Path dir;

    /**
     * SIGTERM (what timeout, docker stop, systemd and CI cancellation send) in the middle of a batch: sdc ends
     * at once with 143, says so in one line, and leaves complete files only. Before, the JVM's exit ran
     * libtorch's static destructors while the main thread was inside a forward: SIGSEGV, exit 134, the crash
     * report on stdout and an hs_err_pid*.log in the working folder.
     */
    @Test
    void sigtermMidBatchExits143AndLeavesOnlyCompleteFiles() throws IOException, InterruptedException {
        Path in = Files.createDirectories(dir.resolve("in"));
        // large enough that the encoder's forwards take seconds: the signal lands inside one
        java.awt.image.BufferedImage small = javax.imageio.ImageIO.read(new java.io.File("testdata/images/landscape-768x512.png"));
        java.awt.image.BufferedImage big = new java.awt.image.BufferedImage(2304, 1536, java.awt.image.BufferedImage.TYPE_INT_RGB);
        big.createGraphics().drawImage(small, 0, 0, 2304, 1536, null);
        for (int i = 0; i < 4; i++) {
            javax.imageio.ImageIO.write(big, "png", in.resolve("p" + i + ".png").toFile());
        }
        Path out = dir.resolve("out");
        ProcessBuilder pb = ChildJvm.builder(Map.of(), Main.class.getName(), "encode", "-o", out.toString(),
                "-j", "1", "--model", Path.of("models/tiny").toAbsolutePath().toString(), in.toString());
        pb.directory(dir.toFile());
        Path stdout = dir.resolve("stdout.txt");
        pb.redirectOutput(stdout.toFile());
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = err.readLine()) != null) {
                lines.add(line);
                if (!sent && line.contains("p0.sdc")) {
                    // SIGTERM while the next file is read or in the encoder's forward (kill, not destroy():
                    // destroy closes the pipes this loop still reads)
                    assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
                    sent = true;
                }
            }
        }
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        String stderr = String.join("\n", lines);
        assertEquals("", Files.readString(stdout), "nothing on stdout (the JVM's crash report went there)");
        assertEquals(143, p.exitValue(), stderr);
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(f -> f.getFileName().toString().startsWith("hs_err")), "no JVM crash log");
        }
        List<Path> written;
        try (Stream<Path> s = Files.list(out)) {
            written = s.toList();
        }
        assertTrue(written.size() >= 1 && written.size() < 4, written.toString());
        for (Path f : written) {
            assertTrue(f.getFileName().toString().matches("p\\d\\.sdc"), "a temporary file was left: " + f);
            SdcReader.read(Files.readAllBytes(f)); // complete and valid
        }
        assertTrue(stderr.contains("sdc: stopped by SIGTERM"), stderr);
    }

    /** Text on a stdout that cannot take it (a full disk) is exit 5 with one line, as for an image on stdout. */
    @Test
    void textThatCannotBeWrittenToStdoutIsExit5() throws IOException, InterruptedException {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "needs /dev/full");
        for (String[] args : new String[][] {{"info", "testdata/sdc/metadata-test-bundle.sdc"}, {"--help"}}) {
            ProcessBuilder pb = ChildJvm.builder(Map.of(), Main.class.getName(), args);
            pb.redirectOutput(full.toFile());
            Path err = dir.resolve("err.txt");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            assertTrue(p.waitFor(2, TimeUnit.MINUTES));
            String stderr = Files.readString(err).strip();
            assertEquals(5, p.exitValue(), String.join(" ", args) + ": " + stderr);
            assertEquals("sdc: error: cannot write stdout: No space left on device", stderr);
        }
    }

    /**
     * A file that needs more heap than there is (a lossless WebP whose header says 11000x11000: its reader
     * decodes the whole canvas) fails as that file, and the batch's other files are still made.
     */
    @Test
    void outOfMemoryIsOneFilesFailure() throws IOException, InterruptedException {
        Path in = Files.createDirectories(dir.resolve("oom-in"));
        Files.copy(Path.of("testdata/images/shapes-200x120.png"), in.resolve("a.png"));
        byte[] webp = Files.readAllBytes(Path.of("testdata/input/upright.webp")); // a simple VP8L file
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(webp).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x2f, webp[20] & 0xFF, "VP8L signature");
        int bits = b.getInt(21);
        b.putInt(21, (bits & 0xF0000000) | (10999 << 14) | 10999); // 14-bit width-1 and height-1
        Files.write(in.resolve("b.webp"), webp);
        Path out = dir.resolve("oom-out");
        ChildJvm.Result r = ChildJvm.run(dir, Map.of("JAVA_TOOL_OPTIONS", "-Xmx160m"), Main.class.getName(),
                "encode", "-j", "1", "-o", out.toString(), in.toString(), "--model", "testdata/bundles/test");
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("sdc: error: " + in.resolve("b.webp") + ": out of memory"), r.stderr());
        assertTrue(Files.isRegularFile(out.resolve("a.sdc")), "the other file is made: " + r.stderr());
    }
}
