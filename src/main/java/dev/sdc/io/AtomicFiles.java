package dev.sdc.io;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes outputs so that a failure never leaves a partial file or clobbers an existing one, and so that
 * special files given as outputs are never replaced by a regular file. What happens per kind of
 * {@link OutputKind existing output}:
 * <ul>
 *   <li>none, or a regular file: bytes go to a temporary file in the target's folder, which is then renamed
 *       into place. An existing file is replaced only when {@code replace} is true, and keeps its permission
 *       bits; otherwise the rename is a hard link that fails if the name exists, so even a file appearing
 *       meanwhile survives. A signal mid-write deletes the temporary file ({@link ExitCleanup}).</li>
 *   <li>symbolic link: the link stays; its (final) target is written as above, atomically.</li>
 *   <li>character device (e.g. a null device, a terminal) or named pipe: opened and written directly,
 *       since renaming over it would destroy the node. No {@code replace} needed: nothing is clobbered.</li>
 *   <li>block device, socket, folder: refused.</li>
 * </ul>
 */
public final class AtomicFiles {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final int MAX_LINKS = 40;

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target}, replacing an existing regular file. */
    public static void write(Path target, byte[] bytes) {
        write(target, bytes, true);
    }

    /**
     * Writes {@code bytes} to {@code target} by the rules of the class comment.
     *
     * @param replace whether an existing regular file (or a link's existing target) may be replaced
     * @throws SdcException (exit code IO) if the output cannot or may not be written
     */
    public static void write(Path target, byte[] bytes, boolean replace) {
        Path real = check(target, replace);
        OutputKind kind = OutputKind.of(real);
        if (kind.writtenThrough()) {
            writeThrough(target, real, bytes);
        } else {
            writeAtomically(target, real, bytes, replace);
        }
    }

    /**
     * Checks, without writing, that {@link #write(Path, byte[], boolean)} would be allowed to write
     * {@code target}; returns the path that would be written (a link's final target, else the target).
     */
    public static Path check(Path target, boolean replace) {
        Path real = followLinks(target);
        OutputKind kind = OutputKind.of(real);
        String link = real.equals(target.toAbsolutePath()) ? "" : " (a link to " + real + ")";
        switch (kind) {
            case FOLDER -> throw new SdcException(ExitCode.IO, "cannot write " + target + link + ": it is a folder");
            case BLOCK_DEVICE, SOCKET -> throw new SdcException(ExitCode.IO, "cannot write " + target + link
                    + ": it is a " + kind.description() + "; sdc writes only regular files, character devices and pipes");
            case REGULAR -> {
                if (!replace) {
                    throw new SdcException(ExitCode.IO, "cannot write " + target + link
                            + ": it exists (use --force to replace it)");
                }
            }
            default -> {
            }
        }
        if (!kind.writtenThrough()) {
            Path dir = real.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new SdcException(ExitCode.IO, "cannot write " + target + ": " + (dir != null && Files.exists(dir)
                        ? dir + " is not a folder" : "folder " + dir + " does not exist"));
            }
            if (!Files.isWritable(dir)) {
                throw new SdcException(ExitCode.IO, "cannot write " + target + ": folder " + dir + " is not writable");
            }
        }
        return real;
    }

    /** The absolute path a chain of symbolic links ends at (which may not exist: a dangling link). */
    public static Path followLinks(Path target) {
        Path p = target.toAbsolutePath().normalize();
        for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
            try {
                Path to = Files.readSymbolicLink(p);
                Path parent = p.getParent();
                p = (parent == null ? to : parent.resolve(to)).toAbsolutePath().normalize();
            } catch (IOException e) {
                throw new SdcException(ExitCode.IO, "cannot write " + target + ": cannot read the link (" + describe(e) + ")");
            }
        }
        if (Files.isSymbolicLink(p)) {
            throw new SdcException(ExitCode.IO, "cannot write " + target + ": too many levels of symbolic links");
        }
        return p;
    }

    private static void writeThrough(Path target, Path real, byte[] bytes) {
        // No CREATE, no TRUNCATE: the node exists and must stay what it is.
        try (OutputStream out = Files.newOutputStream(real, StandardOpenOption.WRITE)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "cannot write " + target + ": " + describe(e));
        }
    }

    /**
     * The output's name as the temporary file's stem, cut to 200 UTF-8 bytes: the temporary name adds 22
     * bytes, and an output name that fits the file system's 255 must not fail for its temporary's sake.
     */
    static String temporaryStem(String name) {
        byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (utf8.length <= 200) {
            return name;
        }
        int end = 0;
        for (int i = 0, bytes = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            bytes += new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > 200) {
                break;
            }
            i += Character.charCount(cp);
            end = i;
        }
        return name.substring(0, end);
    }

    private static void writeAtomically(Path target, Path real, byte[] bytes, boolean replace) {
        Path dir = real.getParent();
        // createFile (unlike createTempFile, which forces mode 0600) honours the umask, so a new output gets
        // the permissions any other new file would; a replaced one keeps its own (keepPermissions).
        Path temporary = dir.resolve("." + temporaryStem(real.getFileName().toString()) + "."
                + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        ExitCleanup.register(temporary); // before it exists: a signal between create and rename must not leave it
        Path tmp = temporary;
        try {
            Files.createFile(tmp);
            Files.write(tmp, bytes);
            if (replace) {
                keepPermissions(real, tmp);
                try {
                    Files.move(tmp, real, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, real, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                publishWithoutReplacing(tmp, real);
            }
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw new SdcException(ExitCode.IO, "cannot write " + target + ": it exists (use --force to replace it)");
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "cannot write " + target + ": " + describe(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the original error is what the user needs to see
                }
            }
            ExitCleanup.forget(temporary);
        }
    }

    /**
     * A replaced file keeps its mode, as cwebp's, avifenc's and cjxl's in-place overwrite does: a 0640 photo
     * must not become world-readable because it was re-encoded. (Its owner and group cannot be kept by an
     * unprivileged rename; they become the writer's.)
     */
    private static void keepPermissions(Path existing, Path tmp) throws IOException {
        if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(existing, LinkOption.NOFOLLOW_LINKS));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the new file's default mode
        }
    }

    /** link(2) fails if the name exists, unlike rename(2): the no-clobber check and the publish are one step. */
    private static void publishWithoutReplacing(Path tmp, Path real) throws IOException {
        try {
            Files.createLink(real, tmp);
            Files.delete(tmp);
        } catch (UnsupportedOperationException e) {
            Files.move(tmp, real); // no hard links here: move refuses an existing target, though not atomically
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            if (Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(real.toString());
            }
            Files.move(tmp, real); // e.g. a file system without hard links (EPERM)
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}
