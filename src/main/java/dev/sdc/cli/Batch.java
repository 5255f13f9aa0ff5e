package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.Messages;
import dev.sdc.Plural;
import dev.sdc.SdcException;
import dev.sdc.bitstream.FormatException;
import dev.sdc.codec.BundleCodec;
import dev.sdc.io.AtomicFiles;
import dev.sdc.io.InputFiles;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs an encode or decode over many files: cheap checks first (so a doomed file costs no model load), then
 * the per-file step on {@code -j} threads sharing one codec. One bad file never stops the others; each
 * failure is one {@code sdc: error: FILE: ...} line. Progress is a bar on a terminal, else a line per file;
 * a batch ({@code -o}) ends with a summary line. The exit code: 0 if every file succeeded, the failures'
 * code if they all share one, else {@link ExitCode#SOME_FAILED}.
 */
final class Batch {
    /** One input and its output; {@code -} is stdin/stdout. {@code makeFolders}: create the output's folder. */
    record Job(Path input, Path output, boolean makeFolders) {
        boolean fromStdin() {
            return BatchOptions.isStdio(input);
        }

        boolean toStdout() {
            return BatchOptions.isStdio(output);
        }

        String inputName() {
            return fromStdin() ? "stdin" : input.toString();
        }

        String outputName() {
            return toStdout() ? "stdout" : output.toString();
        }
    }

    /** What one file came to: bytes read and written, its pixels, its .sdc size, and a report line. */
    record Done(long bytesIn, long bytesOut, long pixels, long sdcBytes, String line) {
    }

    /** The per-file pipeline of a command. */
    interface Step {
        Done run(BundleCodec codec, Job job);
    }

    private final OutputOptions out;
    private final SdcCommand.Stdio stdio;
    private final boolean force;
    private final boolean skipExisting;
    private final PrintWriter err;

    Batch(OutputOptions out, SdcCommand.Stdio stdio, boolean force, PrintWriter err) {
        this(out, stdio, force, false, err);
    }

    /** {@code skipExisting}: a job whose output exists is skipped (not a failure) before any work. */
    Batch(OutputOptions out, SdcCommand.Stdio stdio, boolean force, boolean skipExisting, PrintWriter err) {
        this.out = out;
        this.stdio = stdio;
        this.force = force;
        this.skipExisting = skipExisting;
        this.err = err;
    }

    /** All of this batch's stdin, at most {@code limit} bytes. */
    byte[] readStdin(long limit) {
        return dev.sdc.io.InputFiles.readAll(stdio.in(), "stdin", limit);
    }

    /** A .sdc file on stdin: read no further than its first bytes when they are not the magic, at most 256 MiB. */
    static byte[] readSdcStdin(java.io.InputStream in) {
        try {
            return dev.sdc.bitstream.SdcReader.readBounded(in, "stdin");
        } catch (dev.sdc.bitstream.FormatException e) {
            throw new SdcException(ExitCode.BAD_INPUT, e.getMessage());
        } catch (IOException e) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read stdin: " + e.getMessage());
        }
    }

    /** Writes a job's output: stdout directly, a path by the rules of {@link AtomicFiles}. */
    void write(Job job, byte[] bytes) {
        if (job.toStdout()) {
            try {
                OutputStream o = stdio.out();
                o.write(bytes);
                o.flush();
                if (o instanceof java.io.PrintStream p && p.checkError()) { // a PrintStream hides the IOException
                    throw new IOException("write failed");
                }
            } catch (IOException e) {
                throw new SdcException(ExitCode.isBrokenPipe(e) ? ExitCode.BROKEN_PIPE : ExitCode.IO,
                        "cannot write stdout: " + e.getMessage());
            }
            return;
        }
        if (job.makeFolders()) {
            try {
                Files.createDirectories(job.output().toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new SdcException(ExitCode.IO, "cannot write " + job.output() + ": cannot create its folder ("
                        + e.getMessage() + ")");
            }
        }
        AtomicFiles.write(job.output(), bytes, force);
    }

    /** Runs {@code jobs}; {@code summary}: print the closing summary line (batch mode). Returns the exit code. */
    int run(List<Job> jobs, int workers, boolean summary, Supplier<BundleCodec> codecs, Step step) {
        long start = System.nanoTime();
        Tally tally = new Tally();
        List<Job> ready = new ArrayList<>();
        for (Job job : jobs) {
            try {
                if (precheck(job)) {
                    ready.add(job);
                } else {
                    tally.skipped(job);
                }
            } catch (SdcException e) {
                tally.failed(job, e);
            }
        }
        if (!ready.isEmpty()) {
            BundleCodec codec = codecs.get(); // a model problem fails the whole command (exit 4)
            try (Bar bar = new Bar(ready.size())) {
                tally.bar = bar;
                if (workers <= 1 || ready.size() == 1) {
                    for (Job job : ready) {
                        one(codec, job, step, tally);
                    }
                } else {
                    parallel(codec, ready, workers, step, tally);
                }
            }
        }
        if (summary && !out.quiet) {
            err.println(tally.summary(jobs.size(), (System.nanoTime() - start) / 1e9));
        }
        return tally.exitCode();
    }

    private void parallel(BundleCodec codec, List<Job> ready, int workers, Step step, Tally tally) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, ready.size()), r -> {
            Thread t = new Thread(r, "sdc-batch");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Job job : ready) {
                futures.add(pool.submit(() -> one(codec, job, step, tally)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SdcException(ExitCode.INTERNAL, "interrupted");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        throw error; // e.g. OutOfMemoryError: Main reports it
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void one(BundleCodec codec, Job job, Step step, Tally tally) {
        try {
            Done d = step.run(codec, job);
            tally.done(d);
        } catch (SdcException e) {
            tally.failed(job, e);
        } catch (RuntimeException e) {
            tally.failed(job, new SdcException(ExitCode.INTERNAL, Messages.internalError(e), e));
        } catch (OutOfMemoryError e) {
            // this file's buffers are unreachable once its frame is left: say which file, and let the others run
            tally.failed(job, new SdcException(ExitCode.INTERNAL, job.inputName() + ": " + Messages.OUT_OF_MEMORY));
        }
    }

    /**
     * Checks that cost no model: the input exists, the output may be written and is not the input.
     *
     * @return false for a job to skip: its output exists and --skip-existing was given
     */
    private boolean precheck(Job job) {
        if (!job.fromStdin()) {
            if (!Files.exists(job.input())) {
                throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + job.input() + ": "
                        + (InputFiles.brokenLink(job.input()) ? "a broken symbolic link" : "no such file"));
            }
            if (Files.isDirectory(job.input())) {
                throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + job.input() + ": it is a folder");
            }
        }
        if (job.fromStdin()) {
            stdio.checkInput();
        }
        if (job.toStdout() && stdio.outTerminal() && !force) {
            // as gzip, xz and zstd refuse: the bytes would garble the terminal and help no one
            throw new SdcException(ExitCode.USAGE, "refusing to write binary data to a terminal: redirect stdout (sdc ... - > out) or use --force");
        }
        if (!job.toStdout()) {
            if (!job.fromStdin()) {
                Checks.notSameFile(job.input(), job.output());
            }
            if (skipExisting && Files.isRegularFile(job.output())) {
                return false; // a file (or a link to one) is there: kept, whatever made it
            }
            Path dir = job.output().toAbsolutePath().getParent();
            if (!(job.makeFolders() && dir != null && !Files.exists(dir))) { // -o subfolders are made on write
                AtomicFiles.check(job.output(), force);
            }
        }
        return true;
    }

    /**
     * The message of a per-file failure, naming the file: a corrupt .sdc reads
     * {@code x.sdc: corrupt file: ...}; any message naming neither file gets the input's name in front.
     */
    static String named(Job job, SdcException e) {
        String m = Messages.oneLine(e.getMessage());
        String in = Messages.oneLine(job.inputName()); // as the message shows it, so that a name is never doubled
        if (e instanceof FormatException && !m.contains(in)) {
            return in + ": corrupt file: " + m;
        }
        if (!m.contains(in) && !m.contains(Messages.oneLine(job.outputName()))) {
            return in + ": " + m;
        }
        return m;
    }

    /** Counts, report lines and failures; shared by the worker threads. */
    private final class Tally {
        Bar bar;
        int ok;
        long bytesIn;
        long bytesOut;
        long pixels;
        long sdcBytes;
        final Set<Integer> codes = new TreeSet<>();
        int failed;

        synchronized void done(Done d) {
            ok++;
            bytesIn += d.bytesIn();
            bytesOut += d.bytesOut();
            pixels += d.pixels();
            sdcBytes += d.sdcBytes();
            if (bar != null && bar.bar != null) {
                bar.bar.step();
            } else {
                out.report(d.line());
            }
        }

        int skipped;

        synchronized void skipped(Job job) {
            skipped++;
            if (!out.quiet) {
                out.report(job.outputName() + ": exists, skipped");
            }
        }

        synchronized void failed(Job job, SdcException e) {
            failed++;
            codes.add(e.exitCode().code());
            if (e.exitCode() == ExitCode.BROKEN_PIPE) {
                return; // silent, as a tool killed by SIGPIPE
            }
            // "sdc: internal error: ..." for a bug, else "sdc: error: ..." (out of memory too: not a bug)
            String prefix = e.exitCode() == ExitCode.INTERNAL && e.getMessage() != null
                    && e.getMessage().startsWith("internal error") ? "sdc: " : "sdc: error: ";
            err.println(prefix + named(job, e));
            Messages.debug(err, e);
            err.flush();
            if (bar != null && bar.bar != null) {
                bar.bar.step();
            }
        }

        synchronized String summary(int files, double seconds) {
            double bpp = pixels == 0 ? 0 : sdcBytes * 8.0 / pixels;
            return String.format(Locale.ROOT, "summary: %s, %d ok, %s%d failed; %d bytes in, %d bytes out; "
                    + "%.4f bpp over all images; %.1f s", Plural.count(files, "file"), ok,
                    skipExisting ? skipped + " skipped, " : "", failed, bytesIn, bytesOut, bpp, seconds);
        }

        synchronized int exitCode() {
            return ExitCode.ofFailures(codes);
        }
    }

    /** A progress bar on a terminal for more than one file; otherwise nothing (the per-file lines show progress). */
    private final class Bar implements AutoCloseable {
        final ProgressBar bar;

        Bar(int total) {
            if (stdio.terminal() && !out.quiet && total > 1) {
                // A fixed width keeps progressbar from probing the terminal through JLine.
                bar = new ProgressBarBuilder().setTaskName("sdc").setInitialMax(total)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err, 100)).setUpdateIntervalMillis(200)
                        .build();
            } else {
                bar = null;
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
