package dev.sdc.eval;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --out} folder of {@code sdc eval}. A report left there by an earlier run is refused unless
 * {@code --force}, and with it is removed just before the new one is written: otherwise a plot or sheet the
 * new run does not make (no butteraugli, fewer images) would sit beside the new files and look current.
 * Only the report's own files are touched; anything else in the folder stays.
 */
final class ReportFolder {
    private final Path dir;

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

    /** Whether {@code name} is one of the files a report consists of. */
    static boolean isReportFile(String name) {
        return name.equals("results.csv") || name.equals("summary.md")
                || (name.endsWith(".png") && (name.startsWith("rd_") || name.startsWith("sheet_")));
    }

    void create() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "cannot create folder " + dir + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")");
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

    private List<Path> reportFiles() {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (Files.isRegularFile(p) && isReportFile(p.getFileName().toString())) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "cannot list " + dir + ": " + e.getMessage());
        }
        files.sort(null);
        return files;
    }
}
