package dev.sdc;

import dev.sdc.image.ImageFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shell scripts for common jobs (scripts/compress-folder, decompress-folder, compare-folder), run by
 * bash as a user would, with SDC pointing at this build's classes (no jar needed) and the test bundle.
 */
class ScriptsTest {
    static final Path TEST_BUNDLE = Path.of("testdata/bundles/test").toAbsolutePath();

    @TempDir
    Path dir;
    Path sdc;

    @BeforeEach
    void launcher() throws IOException {
        // The test JVM's class path holds target/classes and every dependency: the same code as the jar.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> props = new ArrayList<>();
        for (String p : new String[] {"ai.djl.offline", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR"}) {
            if (System.getProperty(p) != null) {
                props.add("'-D" + p + "=" + System.getProperty(p) + "'");
            }
        }
        sdc = dir.resolve("sdc-launcher");
        Files.writeString(sdc, "#!/bin/sh\nexec '" + java + "' " + String.join(" ", props) + " -cp '"
                + System.getProperty("java.class.path") + "' dev.sdc.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(sdc, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    record Run(int code, String output) {
    }

    private Run bash(String script, String... args) throws IOException, InterruptedException {
        return bashIn(Path.of("").toAbsolutePath(), script, args);
    }

    /** The script run from {@code cwd}, for relative folder names (a .py one by python3). */
    private Run bashIn(Path cwd, String script, String... args) throws IOException, InterruptedException {
        String interpreter = script.endsWith(".py") ? "python3" : "bash";
        List<String> cmd = new ArrayList<>(List.of(interpreter, Path.of("scripts", script).toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(cwd.toFile());
        pb.environment().put("SDC", sdc.toString());
        pb.environment().put("SDC_MODEL", TEST_BUNDLE.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "script hung");
        return new Run(p.exitValue(), out);
    }

    @Test
    void folderRoundTripAndComparisonReport() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos/trip"));
        Files.copy(Path.of("testdata/images/shapes-200x120.png"), dir.resolve("photos/a.png"));
        Files.copy(Path.of("testdata/images/shapes-200x120.png"), photos.resolve("b.png"));

        Run c = bash("compress-folder", dir.resolve("photos").toString(), dir.resolve("sdc").toString(), "--colors", "16");
        assertEquals(0, c.code(), c.output());
        assertTrue(c.output().contains("summary: 2 files, 2 ok, 0 failed"), c.output());
        assertTrue(Files.isRegularFile(dir.resolve("sdc/trip/b.sdc")));

        Run d = bash("decompress-folder", dir.resolve("sdc").toString(), dir.resolve("back").toString());
        assertEquals(0, d.code(), d.output());
        assertEquals(120, ImageFiles.read(dir.resolve("back/trip/b.png")).height());

        // checked by the scripts themselves, no JVM started: sdc's codes (3 missing input, 2 usage, 0 help)
        Run missing = bash("compress-folder", dir.resolve("nope").toString(), dir.resolve("x").toString());
        assertEquals(3, missing.code(), missing.output());
        assertTrue(missing.output().contains("nope: no such folder"), missing.output());
        assertEquals(2, bash("decompress-folder", dir.resolve("sdc").toString()).code());
        Run help = bash("compare-folder", "--help");
        assertEquals(0, help.code(), help.output());
        assertTrue(help.output().startsWith("usage: compare-folder PHOTOS_DIR REPORT_DIR"), help.output());

        Path report = dir.resolve("report");
        Run e = bash("compare-folder", dir.resolve("photos").toString(), report.toString(),
                "--codecs", "none", "--colors", "16", "--sheets", "0");
        assertEquals(0, e.code(), e.output());
        assertTrue(Files.isRegularFile(report.resolve("summary.md")), e.output());
        assertTrue(Files.isRegularFile(report.resolve("results.csv")), e.output());
        assertTrue(e.output().contains("report: " + report), e.output());

        // one unreadable photo: sdc eval's exit 3 comes through, and the table of the others is still shown
        Files.writeString(dir.resolve("photos/broken.png"), "not a png");
        Run partial = bash("compare-folder", dir.resolve("photos").toString(), report.toString(),
                "--codecs", "none", "--colors", "16", "--sheets", "0", "--force");
        assertEquals(3, partial.code(), partial.output());
        assertTrue(partial.output().contains("broken.png") && partial.output().contains("report: " + report),
                partial.output());
    }

    /**
     * The measurement scripts check their arguments before any work (no JVM, no jar needed): usage and exit 0
     * for --help, one line and exit 2 for a bad argument, 3 for a missing input, 4 for a missing bundle.
     */
    @Test
    void measurementScriptsCheckTheirArguments() throws Exception {
        for (String script : new String[] {"measure-rate.sh", "measure-coder.sh", "measure-memory.sh",
                "measure-metadata.sh", "measure-read-memory.sh", "thread-sweep.sh", "bench-memory", "bench-batch",
                "rate-rule-grid.py", "measure-budget.sh"}) {
            Run help = bash(script, "--help");
            assertEquals(0, help.code(), script + ": " + help.output());
            assertTrue(help.output().toLowerCase(java.util.Locale.ROOT).contains("usage"), script + ": " + help.output());
        }
        String nope = dir.resolve("nope").toString();
        String[][] cases = {
            {"2", "measure-rate.sh"}, {"2", "measure-coder.sh"}, {"3", "measure-coder.sh", nope},
            {"2", "measure-memory.sh"}, {"2", "measure-memory.sh", "models/tiny", "abc"},
            {"2", "measure-memory.sh", "models/tiny", "0"}, {"3", "measure-metadata.sh", nope},
            {"2", "measure-read-memory.sh", "--bogus"}, {"2", "thread-sweep.sh", nope, "abc"},
            {"2", "thread-sweep.sh", nope, "0"}, {"2", "bench-memory", "--bogus"}, {"4", "bench-memory", nope},
            {"2", "bench-batch", "--bogus"}, {"3", "bench-batch", nope}, {"2", "rate-rule-grid.py"},
            {"3", "rate-rule-grid.py", nope}, {"3", "measure-budget.sh", nope},
            {"2", "measure-budget.sh", "--bogus"}, {"2", "measure-budget.sh", nope, "640"},
            {"2", "measure-budget.sh", nope, "64x64", "lots"},
        };
        for (String[] c : cases) {
            Run r = bash(c[1], java.util.Arrays.copyOfRange(c, 2, c.length));
            String what = String.join(" ", java.util.Arrays.copyOfRange(c, 1, c.length)) + ": " + r.output();
            assertEquals(Integer.parseInt(c[0]), r.code(), what);
            // one line; argparse (rate-rule-grid.py) puts its usage line before it
            assertTrue(r.output().strip().lines().count() <= (c[1].endsWith(".py") ? 2 : 1), what);
            assertFalse(r.output().contains("Exception") || r.output().contains("Traceback"), what);
        }
    }

    /** Folder names that start with '-', and a photo folder that is a symbolic link, work as any other. */
    @Test
    void dashNamesAndALinkedFolder() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("-photos/sub"));
        Files.copy(Path.of("testdata/images/shapes-200x120.png"), photos.resolve("a.png"));
        Files.createSymbolicLink(dir.resolve("linked"), dir.resolve("-photos"));
        Run c = bashIn(dir, "compress-folder", "-photos", "-sdc", "--colors", "4");
        assertEquals(0, c.code(), c.output());
        assertTrue(Files.isRegularFile(dir.resolve("-sdc/sub/a.sdc")), c.output());
        Run d = bashIn(dir, "decompress-folder", "-sdc", "-back");
        assertEquals(0, d.code(), d.output());
        assertTrue(Files.isRegularFile(dir.resolve("-back/sub/a.png")), d.output());
        Run l = bashIn(dir, "compress-folder", "linked", "from-link", "--colors", "4");
        assertEquals(0, l.code(), l.output());
        assertTrue(Files.isRegularFile(dir.resolve("from-link/sub/a.sdc")), l.output());
        Run e = bashIn(dir, "compare-folder", "-photos/sub", "-report", "--codecs", "none", "--colors", "4", "--sheets", "0");
        assertEquals(0, e.code(), e.output());
        assertTrue(Files.isRegularFile(dir.resolve("-report/summary.md")), e.output());
    }
}
