package dev.sdc.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** What already exists at an output path (not following links), which decides how it may be written. */
public enum OutputKind {
    NONE("nothing"),
    REGULAR("regular file"),
    FOLDER("folder"),
    SYMLINK("symbolic link"),
    CHARACTER_DEVICE("character device"),
    FIFO("named pipe"),
    BLOCK_DEVICE("block device"),
    SOCKET("socket");

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFSOCK = 0140000;

    private final String description;

    OutputKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Character devices and pipes are opened and written in place: replacing them would destroy the node. */
    public boolean writtenThrough() {
        return this == CHARACTER_DEVICE || this == FIFO;
    }

    public static OutputKind of(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return NONE;
        }
        if (Files.isSymbolicLink(path)) {
            return SYMLINK;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return FOLDER;
        }
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return REGULAR;
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
            return switch (mode) {
                case S_IFCHR -> CHARACTER_DEVICE;
                case S_IFIFO -> FIFO;
                case S_IFBLK -> BLOCK_DEVICE;
                case S_IFSOCK -> SOCKET;
                default -> SOCKET; // some other special file: refused like a socket
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return SOCKET; // cannot tell what it is: refuse rather than replace it
        }
    }
}
