package dev.sdc.eval;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;

import dev.sdc.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@code --out} folder of {@code sdc eval}. A report left there by an earlier run is refused unless
 * {@code --force}, and with it is removed just before the new one is written: otherwise a plot or sheet the
 * new run does not make (no butteraugli, fewer images) would sit beside the new files and look current.
 * Only the report's own files are touched; anything else in the folder stays. Which files those are, the
 * report says itself: its index ({@value #INDEX}, written last) names them. A name pattern alone would take
 * a user's own {@code rd_holiday.png} for a plot, and {@code --force} would delete it.
 */
final class ReportFolder {
    /** The hidden file that lists a report's files, one name a line. */
    static final String INDEX = ".sdc-report";
    /**
     * The files every report has: always the report's (a new report overwrites them, so even a lone one is
     * refused without --force); a folder holding both is a report even without an index (written before it).
     */
    private static final List<String> CORE = List.of("results.csv", "summary.md");
    /** What a report written before the index consisted of, besides {@link #CORE}. */
    private static final List<String> LEGACY_PLOTS = List.of("rd_psnr.png", "rd_msssim.png", "rd_butteraugli.png");

    private final Path dir;
    /** The outermost folder {@link #create} made (null: none), for {@link #removeIfCreatedEmpty}. */
    private Path created;

    private ReportFolder(Path dir) {
        this.dir = dir;
    }

    /** Checks {@code dir} before any work; creates nothing. */
    static ReportFolder check(Path dir, boolean force) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new SdcException(ExitCode.IO, "cannot write the report into " + dir + ": it is not a folder");
        }
        ReportFolder folder = new ReportFolder(dir);
        List<Path> old = folder.reportFiles();
        if (!old.isEmpty() && !force) {
            throw new SdcException(ExitCode.IO, dir + " already holds a report (" + old.get(0).getFileName()
                    + (old.size() > 1 ? " and " + (old.size() - 1) + " more" : "") + "); use --force to replace it");
        }
        return folder;
    }

    /** Whether {@code name} can be a file of a report (the index never names anything else). */
    static boolean isReportFile(String name) {
        return CORE.contains(name) || (name.endsWith(".png") && (name.startsWith("rd_") || name.startsWith("sheet_")));
    }

    /** The files of the report now in the folder, which {@code --force} would delete: inputs must not be among them. */
    List<Path> reportFiles() {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        Path index = dir.resolve(INDEX);
        List<String> names = new ArrayList<>();
        if (Files.isRegularFile(index)) {
            try {
                names.addAll(Files.readAllLines(index, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new SdcException(ExitCode.IO, "cannot read " + index + ": " + e.getMessage());
            }
            names.add(INDEX);
        } else if (CORE.stream().allMatch(n -> Files.isRegularFile(dir.resolve(n)))) {
            names.addAll(LEGACY_PLOTS);
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "sheet_*.png")) {
                s.forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                throw new SdcException(ExitCode.IO, "cannot list " + dir + ": " + e.getMessage());
            }
        }
        names.addAll(CORE);
        java.util.Set<String> ordered = new TreeSet<>(java.util.Comparator.comparing((String n) -> n.startsWith("."))
                .thenComparing(java.util.Comparator.naturalOrder())); // the hidden index last in messages
        ordered.addAll(names);
        for (String n : ordered) {
            // an index edited by hand must not reach outside the folder, nor at a file no report writes
            boolean plain = n.equals(INDEX) || (isReportFile(n) && !n.contains("/") && !n.contains("\\"));
            if (plain && Files.isRegularFile(dir.resolve(n), LinkOption.NOFOLLOW_LINKS)) {
                files.add(dir.resolve(n));
            }
        }
        return files;
    }

    /**
     * Refuses inputs the report would clobber or read back: {@code --out} as an input folder (the next run
     * would take the plots and sheets for photos), or an input image that is a file of the report in it
     * ({@code --force} would delete it before it was read).
     */
    void refuseInputs(List<Path> inputs, List<Path> images) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            for (Path in : inputs) {
                if (Files.isDirectory(in) && Files.isSameFile(in, dir)) {
                    throw new SdcException(ExitCode.USAGE, "--out " + dir + " is also an input folder: the report's "
                            + "plots and sheets would be read as photos next time; give another folder");
                }
            }
            List<Path> report = reportFiles();
            for (Path image : images) {
                for (Path r : report) {
                    if (Files.exists(image) && Files.isSameFile(image, r)) {
                        throw new SdcException(ExitCode.USAGE, image + " is a file of the report in " + dir
                                + ", which the new report replaces; copy it elsewhere first");
                    }
                }
            }
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "cannot compare " + dir + " with the inputs: " + e.getMessage());
        }
    }

    void create() {
        try {
            Path top = null;
            for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
                top = p;
            }
            created = top;
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "cannot create folder " + dir + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")");
        }
    }

    /** Removes the folder if {@link #create} made it and it is still empty (no report is written after all). */
    void removeIfCreatedEmpty() {
        if (created == null) {
            return;
        }
        // from the report folder up to the outermost one made for it (--out a/b/c, none of them there before)
        for (Path p = dir.toAbsolutePath(); p != null && p.startsWith(created); p = p.getParent()) {
            try {
                Files.deleteIfExists(p); // fails, harmlessly, if something was put there meanwhile
            } catch (IOException e) {
                return; // not empty: someone else's files, which stay
            }
        }
    }

    /** Deletes the files of an earlier report (only reached with --force, or when there are none). */
    void clearOldReport() {
        for (Path p : reportFiles()) {
            try {
                Files.delete(p);
            } catch (IOException e) {
                throw new SdcException(ExitCode.IO, "cannot replace " + p + ": " + e.getMessage());
            }
        }
    }

    /** Writes the index of the report just written ({@code written}: its files, all in this folder). */
    void writeIndex(List<Path> written) {
        StringBuilder sb = new StringBuilder();
        for (Path p : written) {
            sb.append(p.getFileName()).append('\n');
        }
        AtomicFiles.write(dir.resolve(INDEX), sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
