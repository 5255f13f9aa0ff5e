package dev.sdc.io;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Expands the inputs of a batch command: a file stands for itself, a folder for the files in it that
 * {@code wanted} accepts (its subfolders too when recursive). Hidden names (a leading dot, e.g. sdc's own
 * temporary files) are skipped inside folders; a broken symbolic link is kept, to fail as a missing file
 * does. Each file keeps the path relative to the folder it was found in, so a batch can recreate the tree
 * under an output folder.
 */
public final class InputFiles {
    /** One input file and where its output goes relative to the output folder. */
    public record Input(Path file, Path relative) {
    }

    private InputFiles() {
    }

    public static List<Input> expand(List<Path> inputs, boolean recursive, Predicate<Path> wanted) {
        List<Input> out = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                out.addAll(folder(in, recursive, wanted));
            } else {
                // a missing file is kept: its job fails with "no such file" and the others still run
                Path name = in.getFileName();
                out.add(new Input(in, name == null ? in : name));
            }
        }
        return out;
    }

    private static List<Input> folder(Path dir, boolean recursive, Predicate<Path> wanted) {
        // A folder given as a symbolic link (~/Pictures -> /data/photos) is walked where it points, as find
        // dir/ and cp -r do (Files.walk would return the link alone); its files keep paths under the name given.
        // Links to folders met inside it are not followed (no loops), as by find without -L.
        Path start = dir;
        if (Files.isSymbolicLink(dir)) {
            try {
                start = dir.toRealPath();
            } catch (IOException e) {
                throw new SdcException(ExitCode.BAD_INPUT, "cannot list folder " + dir + ": " + e.getMessage());
            }
        }
        Path root = start;
        try (Stream<Path> s = recursive ? Files.walk(root) : Files.list(root)) {
            return s.filter(p -> !p.equals(root))
                    .filter(p -> !hidden(root.relativize(p)))
                    .filter(p -> Files.isRegularFile(p) || brokenLink(p))
                    .map(p -> dir.resolve(root.relativize(p)))
                    .filter(wanted)
                    .sorted(Comparator.comparing(Path::toString))
                    .map(p -> new Input(p, dir.relativize(p)))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot list folder " + dir + ": " + e.getMessage());
        }
    }

    /**
     * A symbolic link to nothing is kept, so its job fails and the batch's exit code says so: skipped, it
     * made "1 file" of a folder of two, silently.
     */
    public static boolean brokenLink(Path p) {
        return Files.isSymbolicLink(p) && !Files.exists(p);
    }

    /**
     * A stream read to its end, at most {@code limit} bytes: one more is a bad-input error ("NAME: larger than
     * LIMIT bytes"), and so is a failed read ("cannot read NAME: ..."). The stream is not closed.
     */
    public static byte[] readAll(java.io.InputStream in, String name, long limit) {
        try {
            byte[] data = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (data.length > limit) {
                throw new dev.sdc.SdcException(dev.sdc.ExitCode.BAD_INPUT, name + ": larger than " + limit + " bytes");
            }
            return data;
        } catch (java.io.IOException e) {
            throw new dev.sdc.SdcException(dev.sdc.ExitCode.BAD_INPUT, "cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** Whether a path relative to an input folder has a part starting with '.' (skipped, as by ls and find). */
    public static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
