package dev.sdc.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream is a terminal, which decides between a redrawing progress bar and plain lines.
 * Java 17's {@code System.console()} answers for stdin and stdout only, so {@code sdc eval … 2> log} from a
 * terminal filled the log with carriage-return redraws; Linux names each descriptor's file in
 * {@code /proc/self/fd}, and a terminal is a {@code /dev/pts/N} or {@code /dev/ttyN} there.
 */
public final class Terminal {
    private Terminal() {
    }

    /** Whether stdin is a terminal: nobody types image bytes, so reading '-' from one is refused. */
    public static boolean stdin() {
        return isTerminal(Path.of("/proc/self/fd/0"));
    }

    /** Whether stdout is a terminal. */
    public static boolean stdout() {
        return isTerminal(Path.of("/proc/self/fd/1"));
    }

    /** Whether stderr is a terminal. */
    public static boolean stderr() {
        return isTerminal(Path.of("/proc/self/fd/2"));
    }

    /** Whether {@code fdLink} (a {@code /proc/PID/fd/N} entry) names a terminal device. */
    static boolean isTerminal(Path fdLink) {
        String target;
        try {
            target = Files.readSymbolicLink(fdLink).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null; // no /proc: the best Java 17 can tell
        }
        return isTerminalDevice(target);
    }

    /** {@code /dev/pts/3}, {@code /dev/tty1}, {@code /dev/console}: yes; a file, pipe or socket: no. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.matches("/dev/tty[0-9A-Za-z]*") || target.equals("/dev/console");
    }
}
