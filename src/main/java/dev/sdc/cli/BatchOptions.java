package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.io.AtomicFiles;
import dev.sdc.io.InputFiles;
import dev.sdc.io.Jobs;
import dev.sdc.io.OutputKind;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code -o OUTDIR}, {@code -r}, {@code -j N}, {@code --force}, and the rules that turn the positional
 * arguments into jobs. With {@code -o} every positional is an input (file or folder); without it there must
 * be exactly two, {@code IN OUT}. {@code -} is stdin or stdout, in the two-argument form only.
 */
final class BatchOptions {
    @Option(names = {"-o", "--output-dir"}, paramLabel = "OUTDIR",
            description = "Write one output per input into OUTDIR (created); every argument is then an input file or folder.")
    Path outputDir;

    @Option(names = {"-r", "--recursive"}, description = "With -o: also take the files in subfolders, keeping their relative paths.")
    boolean recursive;

    /**
     * One job per core: libtorch runs each network call on one thread ($SDC_THREADS, fixed so that the output
     * bits never depend on the machine), so parallelism across files is what uses the cores.
     */
    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Files processed at once, sharing one loaded model (default: the number of cores; "
                    + "each job adds one image's memory). Never changes the output bytes.")
    int jobs = Jobs.perCore();

    @Option(names = {"-f", "--force"}, description = "Replace existing output files (default: refuse and go on with the other files).")
    boolean force;

    /** For reruns over a growing folder (cron, a camera import): only the new files are made, and exit 0. */
    @Option(names = "--skip-existing", description = "Leave an existing output as it is and go on: counted as "
            + "skipped, not failed, so a rerun makes only what is missing and exits 0. Exclusive with --force.")
    boolean skipExisting;

    static boolean isStdio(Path p) {
        return p.toString().equals("-");
    }

    boolean batchMode() {
        return outputDir != null;
    }

    /**
     * The jobs for {@code positionals}.
     *
     * @param command      "encode" or "decode", for messages
     * @param wanted       which files of an input folder to take
     * @param outputName   the output's path relative to OUTDIR, from the input's relative path
     * @param singleOutput checks the OUT of the two-argument form (usage error if unfit)
     */
    List<Batch.Job> plan(List<Path> positionals, String command, Predicate<Path> wanted,
                         Function<Path, Path> outputName, java.util.function.Consumer<Path> singleOutput) {
        Jobs.check(jobs);
        if (force && skipExisting) {
            throw new SdcException(ExitCode.USAGE, "--force and --skip-existing: give one (replace, or keep)");
        }
        Checks.named(positionals, "argument");
        Checks.named(java.util.Collections.singletonList(outputDir), "-o folder");
        if (outputDir == null) {
            return List.of(two(positionals, command, singleOutput));
        }
        if (isStdio(outputDir)) {
            throw new SdcException(ExitCode.USAGE, "-o needs a folder; to write stdout use: sdc " + command + " IN -");
        }
        for (Path p : positionals) {
            if (isStdio(p)) {
                throw new SdcException(ExitCode.USAGE, "'-' (stdin) works only in the two-argument form: sdc "
                        + command + " - OUT");
            }
        }
        OutputKind kind = OutputKind.of(outputDir);
        if (kind != OutputKind.NONE && !Files.isDirectory(outputDir)) {
            throw new SdcException(ExitCode.IO, "cannot write into " + outputDir + ": it is not a folder");
        }
        List<Batch.Job> jobsList = new ArrayList<>();
        Map<Path, Path> claimed = new HashMap<>();
        Set<Path> seen = new HashSet<>();
        for (InputFiles.Input in : InputFiles.expand(positionals, recursive, wanted)) {
            // "-r in in/sub" reaches in/sub's files twice, under two output names: that is a slip, not a wish
            // for two copies, as is the same file named twice
            if (!seen.add(in.file().toAbsolutePath().normalize())) {
                throw new SdcException(ExitCode.USAGE, in.file() + " is an input twice (an argument inside another"
                        + " argument's folder, or named twice); give it once");
            }
            Path out = outputDir.resolve(outputName.apply(in.relative()));
            Path before = claimed.putIfAbsent(out.toAbsolutePath().normalize(), in.file());
            if (before != null) {
                throw new SdcException(ExitCode.USAGE, before + " and " + in.file() + " would both be written to "
                        + out + "; rename one or give them separate -o runs");
            }
            jobsList.add(new Batch.Job(in.file(), out, true));
        }
        if (jobsList.isEmpty()) {
            throw new SdcException(ExitCode.BAD_INPUT, "no input files found in "
                    + String.join(", ", positionals.stream().map(Path::toString).toList())
                    + (recursive ? "" : " (use -r for subfolders)"));
        }
        checkCreatable(outputDir);
        return jobsList;
    }

    /**
     * Fails before any work when OUTDIR does not exist and cannot be made: its nearest existing ancestor must
     * be a writable folder (a dangling link on the way is not one). OUTDIR itself is created with the first
     * output (Batch), so a run that stops before any file (a missing bundle) leaves no empty folder behind.
     * An OUTDIR that exists is not judged here: with --skip-existing a read-only one may need no write at all,
     * and a file that cannot be written is that file's failure.
     */
    private static void checkCreatable(Path outputDir) {
        Path existing = outputDir.toAbsolutePath();
        if (Files.isDirectory(existing)) {
            return;
        }
        while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new SdcException(ExitCode.IO, "cannot create folder " + outputDir + ": " + (existing == null
                    ? "no such file system" : existing + (Files.isDirectory(existing) ? " is not writable"
                    : Files.isSymbolicLink(existing) && !Files.exists(existing) ? " is a broken symbolic link"
                    : " is not a folder")));
        }
    }

    private Batch.Job two(List<Path> positionals, String command, java.util.function.Consumer<Path> singleOutput) {
        String forms = "sdc " + command + " IN OUT, or sdc " + command + " -o OUTDIR INPUT...";
        if (positionals.size() != 2) {
            throw new SdcException(ExitCode.USAGE, (positionals.size() < 2 ? "missing output" : "too many arguments ("
                    + positionals.size() + ") without -o") + "; use: " + forms);
        }
        if (recursive) { // it can only mean a folder input, which this form refuses: say so, not nothing
            throw new SdcException(ExitCode.USAGE, "-r works only with -o: sdc " + command + " -o OUTDIR -r FOLDER...");
        }
        Path in = positionals.get(0);
        Path out = positionals.get(1);
        if (!isStdio(in) && Files.isDirectory(in)) {
            throw new SdcException(ExitCode.USAGE, "input " + in + " is a folder; for folders use: sdc " + command
                    + " -o OUTDIR " + in);
        }
        if (!isStdio(out) && Files.isDirectory(out)) {
            throw new SdcException(ExitCode.IO, "cannot write " + out + ": it is a folder (to write into it use -o "
                    + out + ")");
        }
        if (!isStdio(out)) {
            OutputKind kind = OutputKind.of(AtomicFiles.followLinks(out));
            if (kind == OutputKind.BLOCK_DEVICE || kind == OutputKind.SOCKET) {
                AtomicFiles.check(out, true); // refused whatever its name: say so, not "wrong extension"
            }
            if (!kind.writtenThrough()) {
                singleOutput.accept(out); // devices and pipes need no extension: there is no file to name
            }
        }
        return new Batch.Job(in, out, false);
    }
}
