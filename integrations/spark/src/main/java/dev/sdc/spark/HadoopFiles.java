package dev.sdc.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.UUID;

/** Hadoop file-system helpers: relative paths under a root, bounded reads, atomic writes. */
final class HadoopFiles {
    private HadoopFiles() {
    }

    /**
     * {@code file}'s path relative to {@code root} (a folder, or the file itself when the input is one file).
     * Both are compared by their URI path, so file:, hdfs:// and s3a:// inputs behave alike.
     */
    static String relative(Path root, Path file) {
        String r = root.toUri().getPath();
        String f = file.toUri().getPath();
        if (f.equals(r)) {
            return file.getName();
        }
        String prefix = r.endsWith("/") ? r : r + "/";
        if (!f.startsWith(prefix)) {
            throw new IllegalArgumentException(file + " is not under " + root);
        }
        return f.substring(prefix.length());
    }

    /**
     * The file system of {@code path}. For local paths the raw one: Hadoop's default local file system
     * writes a hidden .crc file beside every output, which the CLI does not and users would not expect.
     */
    static FileSystem fs(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }

    static Path qualified(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        return p.getFileSystem(conf).makeQualified(p);
    }

    /** The whole file, refusing files over {@code limit} bytes before reading them. */
    static byte[] read(Path path, Configuration conf, long limit) throws IOException {
        FileSystem fs = fs(path, conf);
        long size = fs.getFileStatus(path).getLen();
        if (size > limit) {
            throw new IOException(path + " is " + size + " bytes, more than " + limit);
        }
        try (FSDataInputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    /**
     * The file if it exists and can be read whole, else null: an output left unreadable by an interrupted
     * run is simply made again.
     */
    static byte[] readIfExists(Path path, Configuration conf, long limit) throws IOException {
        FileSystem fs = fs(path, conf);
        if (!fs.exists(path)) {
            return null;
        }
        try {
            return read(path, conf, limit);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Writes {@code data} to a hidden temporary file next to {@code target}, then renames it over: readers
     * (and a resumed run) never see a partial output. On object stores without atomic rename (s3a) the
     * rename is a copy, but the object still only appears once complete.
     */
    static void writeAtomically(Path target, byte[] data, Configuration conf) throws IOException {
        FileSystem fs = fs(target, conf);
        Path parent = target.getParent();
        fs.mkdirs(parent);
        Path tmp = new Path(parent, "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(data);
            }
            if (fs.exists(target)) {
                fs.delete(target, false); // an invalid leftover: the caller checked it before encoding
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, false);
            }
        }
    }
}
