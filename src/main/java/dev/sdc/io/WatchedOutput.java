package dev.sdc.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream that remembers its first write error. A {@link java.io.PrintWriter} swallows errors, so
 * {@code sdc info x.sdc > /dev/full} printed nothing and exited 0; the command's end asks this stream instead.
 */
public final class WatchedOutput extends FilterOutputStream {
    private volatile IOException failure;

    public WatchedOutput(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw remember(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw remember(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw remember(e);
        }
    }

    private IOException remember(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** The first write error, or null. */
    public IOException failure() {
        return failure;
    }
}
