package dev.sdc.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalTest {
    @TempDir
    Path dir;

    @Test
    void terminalDevicesAreTerminalsAndEverythingElseIsNot() {
        for (String t : new String[] {"/dev/pts/0", "/dev/pts/17", "/dev/tty1", "/dev/tty", "/dev/ttyS0", "/dev/console"}) {
            assertTrue(Terminal.isTerminalDevice(t), t);
        }
        for (String t : new String[] {"/tmp/eval.log", "pipe:[12345]", "socket:[99]", "/dev/null", "/dev/full",
                "anon_inode:[eventfd]", "/home/u/dev/pts/0"}) {
            assertFalse(Terminal.isTerminalDevice(t), t);
        }
    }

    /** A /proc/self/fd entry is a symbolic link to the stream's file: only its target matters. */
    @Test
    void aDescriptorLinkIsJudgedByItsTarget() throws IOException {
        Path log = Files.createFile(dir.resolve("log"));
        assertFalse(Terminal.isTerminal(Files.createSymbolicLink(dir.resolve("2"), log)));
        // the target need not exist for the link to be read
        assertTrue(Terminal.isTerminal(Files.createSymbolicLink(dir.resolve("3"), Path.of("/dev/pts/42"))));
    }

    /** Surefire pipes a test JVM's stderr. */
    @Test
    void aPipedStderrIsNoTerminal() {
        assertFalse(Terminal.stderr());
    }
}
