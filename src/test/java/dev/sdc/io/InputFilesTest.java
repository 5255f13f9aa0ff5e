package dev.sdc.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class InputFilesTest {
    @TempDir
    Path dir;

    @Test
    void foldersExpandToWantedFilesWithRelativePaths() throws IOException {
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("x/y"));
        Files.createDirectories(in.resolve(".git"));
        for (String f : new String[] {"b.png", "a.png", "notes.txt", ".hidden.png", "x/c.png", "x/y/d.png", ".git/e.png"}) {
            Files.writeString(in.resolve(f), f);
        }
        Path loose = Files.writeString(dir.resolve("loose.png"), "l");
        Path missing = dir.resolve("missing.png");
        List<InputFiles.Input> flat = InputFiles.expand(List.of(in, loose, missing), false, p -> p.toString().endsWith(".png"));
        assertEquals(List.of("a.png", "b.png", "loose.png", "missing.png"),
                flat.stream().map(i -> i.relative().toString()).toList());
        List<InputFiles.Input> deep = InputFiles.expand(List.of(in), true, p -> p.toString().endsWith(".png"));
        assertEquals(List.of("a.png", "b.png", "x/c.png", "x/y/d.png"),
                deep.stream().map(i -> i.relative().toString()).toList());
        assertEquals(in.resolve("x/y/d.png"), deep.get(3).file());
    }

    /** A link to nothing in a folder is an input (its job fails, the exit code says so); a link to a file is its file. */
    @Test
    void aBrokenLinkIsKeptToFail() throws IOException {
        Path in = Files.createDirectories(dir.resolve("links"));
        Path a = Files.writeString(in.resolve("a.sdc"), "a");
        Files.createSymbolicLink(in.resolve("broken.sdc"), in.resolve("nothere.sdc"));
        Files.createSymbolicLink(in.resolve("good.sdc"), a);
        Files.createSymbolicLink(in.resolve("broken.txt"), in.resolve("nothere.txt"));
        List<InputFiles.Input> found = InputFiles.expand(List.of(in), false, p -> p.toString().endsWith(".sdc"));
        assertEquals(List.of("a.sdc", "broken.sdc", "good.sdc"), found.stream().map(i -> i.relative().toString()).toList());
        assertTrue(InputFiles.brokenLink(in.resolve("broken.sdc")));
        assertFalse(InputFiles.brokenLink(in.resolve("good.sdc")));
        assertFalse(InputFiles.brokenLink(a));
    }

    /** A folder given as a link is walked where it points, its files named under the link, as find dir/ does. */
    @Test
    void aLinkedFolderIsWalkedUnderItsOwnName() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real/sub"));
        Files.writeString(real.resolve("c.png"), "c");
        Files.writeString(dir.resolve("real/a.png"), "a");
        Path link = Files.createSymbolicLink(dir.resolve("pictures"), dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("real/loop"), dir.resolve("real")); // links inside are not followed
        for (boolean recursive : new boolean[] {false, true}) {
            List<InputFiles.Input> found = InputFiles.expand(List.of(link), recursive, p -> p.toString().endsWith(".png"));
            assertEquals(recursive ? List.of("a.png", "sub/c.png") : List.of("a.png"),
                    found.stream().map(i -> i.relative().toString()).toList());
            assertEquals(link.resolve("a.png"), found.get(0).file(), "named under the link as given");
        }
    }
}
