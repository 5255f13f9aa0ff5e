package dev.sdc.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What exists only while a command runs (a temporary file before its rename, an evaluation's scratch
 * folder), to be deleted if the process is stopped by a signal. A normal end deletes them in {@code finally}
 * blocks; a signal ends the process without unwinding any thread ({@code dev.sdc.cli.SignalExit}).
 */
public final class ExitCleanup {
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

    private ExitCleanup() {
    }

    /** {@code path} (a file or a folder) is to be deleted if the process is stopped before {@link #forget}. */
    public static void register(Path path) {
        PENDING.add(path);
    }

    /** {@code path} is complete (renamed into place) or already deleted. */
    public static void forget(Path path) {
        PENDING.remove(path);
    }

    /** Deletes everything registered, best effort: called once, as the process ends. */
    public static void deleteAll() {
        for (Path p : PENDING) {
            deleteRecursively(p);
        }
    }

    /** Deletes a file, or a folder with everything in it; what cannot be deleted stays, silently. */
    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // leftovers in a temporary folder are not worth an error at the end of a command
        }
    }
}
