package dev.sdc.io;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private long entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void existingFileIsKeptUnlessReplaceIsAsked() throws IOException {
        Path f = dir.resolve("out.bin");
        AtomicFiles.write(f, b("one"), false);
        assertEquals("one", Files.readString(f));
        SdcException e = assertThrows(SdcException.class, () -> AtomicFiles.write(f, b("two"), false));
        assertEquals(ExitCode.IO, e.exitCode());
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertEquals("one", Files.readString(f));
        assertEquals(1, entries(), "no temporary file left behind");
        AtomicFiles.write(f, b("three"), true);
        assertEquals("three", Files.readString(f));
        AtomicFiles.write(f, b("four")); // the two-argument form replaces, as eval's reports need
        assertEquals("four", Files.readString(f));
    }

    /** The temporary name adds 22 bytes: an output name of 240 bytes (80 CJK characters) must still work. */
    @Test
    void aLongNameFitsWithItsTemporary() throws IOException {
        Path f = dir.resolve("a".repeat(236) + ".sdc");
        AtomicFiles.write(f, b("x"), false);
        assertEquals("x", Files.readString(f));
        Path cjk = dir.resolve("写".repeat(80) + ".sdc"); // 244 bytes in UTF-8
        AtomicFiles.write(cjk, b("y"), false);
        assertEquals("y", Files.readString(cjk));
        assertEquals(2, entries(), "no temporary file left behind");
        assertEquals("写".repeat(66), AtomicFiles.temporaryStem("写".repeat(80)), "cut at a whole character");
    }

    @Test
    void linkStaysAndItsTargetIsReplaced() throws IOException {
        Path target = Files.writeString(dir.resolve("t"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("l"), target);
        Path chain = Files.createSymbolicLink(dir.resolve("l2"), link.getFileName());
        assertThrows(SdcException.class, () -> AtomicFiles.write(chain, b("new"), false));
        AtomicFiles.write(chain, b("new"), true);
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(chain));
        assertEquals("new", Files.readString(target));
        assertEquals(target.toAbsolutePath(), AtomicFiles.followLinks(chain));
    }

    @Test
    void loopingLinksAndFoldersAreRefused() throws IOException {
        Path a = dir.resolve("a");
        Files.createSymbolicLink(a, dir.resolve("b"));
        Files.createSymbolicLink(dir.resolve("b"), a);
        assertEquals(ExitCode.IO, assertThrows(SdcException.class, () -> AtomicFiles.write(a, b("x"), true)).exitCode());
        Path folder = Files.createDirectory(dir.resolve("f"));
        SdcException e = assertThrows(SdcException.class, () -> AtomicFiles.write(folder, b("x"), true));
        assertTrue(e.getMessage().contains("it is a folder"), e.getMessage());
        assertEquals(OutputKind.FOLDER, OutputKind.of(folder));
        assertEquals(OutputKind.SYMLINK, OutputKind.of(a));
        assertEquals(OutputKind.NONE, OutputKind.of(dir.resolve("none")));
    }

    /** A replaced file keeps its mode, as an in-place overwrite (cwebp -o) would; a new file follows the umask. */
    @Test
    void aReplacedFileKeepsItsPermissions() throws IOException {
        Path f = dir.resolve("photo.png");
        AtomicFiles.write(f, b("one"), false);
        java.util.Set<java.nio.file.attribute.PosixFilePermission> privateMode =
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(f, privateMode);
        AtomicFiles.write(f, b("two"), true);
        assertEquals("two", Files.readString(f));
        assertEquals(privateMode, Files.getPosixFilePermissions(f));
        assertEquals(1, entries());
    }

    /** What a signal would delete: registered while half-made, forgotten once complete. */
    @Test
    void exitCleanupDeletesWhatIsRegisteredAndNothingElse() throws IOException {
        Path scratch = Files.createDirectories(dir.resolve("scratch/sub"));
        Files.writeString(scratch.resolve("x"), "x");
        Path kept = Files.writeString(dir.resolve("kept"), "k");
        ExitCleanup.register(dir.resolve("scratch"));
        ExitCleanup.register(kept);
        ExitCleanup.forget(kept);
        AtomicFiles.write(dir.resolve("out"), b("o"), false); // its temporary file is registered and forgotten
        ExitCleanup.deleteAll();
        ExitCleanup.forget(dir.resolve("scratch"));
        assertFalse(Files.exists(dir.resolve("scratch")));
        assertTrue(Files.exists(kept));
        assertEquals("o", Files.readString(dir.resolve("out")));
        assertEquals(2, entries());
    }

    @Test
    void aParentThatIsAFileIsNamedSo() throws IOException {
        Path file = Files.writeString(dir.resolve("sub"), "x");
        SdcException e = assertThrows(SdcException.class, () -> AtomicFiles.write(file.resolve("b.png"), b("b"), false));
        assertEquals(ExitCode.IO, e.exitCode());
        assertTrue(e.getMessage().endsWith(file + " is not a folder"), e.getMessage());
        e = assertThrows(SdcException.class, () -> AtomicFiles.write(dir.resolve("none/b.png"), b("b"), false));
        assertTrue(e.getMessage().endsWith("folder " + dir.resolve("none") + " does not exist"), e.getMessage());
    }
}
