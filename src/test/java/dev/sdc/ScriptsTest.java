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
        List<String> cmd = new ArrayList<>(List.of("bash", "scripts/" + script));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
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

        Run usage = bash("compress-folder", dir.resolve("nope").toString(), dir.resolve("x").toString());
        assertEquals(2, usage.code(), usage.output()); // checked by the script itself: no JVM started

        Path report = dir.resolve("report");
        Run e = bash("compare-folder", dir.resolve("photos").toString(), report.toString(),
                "--codecs", "none", "--colors", "16", "--sheets", "0");
        assertEquals(0, e.code(), e.output());
        assertTrue(Files.isRegularFile(report.resolve("summary.md")), e.output());
        assertTrue(Files.isRegularFile(report.resolve("results.csv")), e.output());
        assertTrue(e.output().contains("report: " + report), e.output());
    }
}
