package dev.sdc.spark;

import dev.sdc.cli.Main;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.model.DefaultBundle;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The encode and decode jobs in local[2] on testdata images plus a corrupt file, against the CLI: same bytes,
 * a manifest that matches the files, failures as rows, reruns that write nothing and resume what is missing.
 * Offline: Spark binds to 127.0.0.1 with its UI off; the model is sdc's built-in default bundle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkJobsTest {
    private static final Path TESTDATA = Path.of(System.getProperty("sdc.root", "../.."), "testdata", "images");
    /** input path relative to the input folder → testdata image it is a copy of. */
    private static final Map<String, String> IMAGES = Map.of(
            "shapes.png", "shapes-200x120.png",
            "sub/landscape.png", "landscape-512x384.png",
            "sub/deep/tall.png", "shapes-37x1001.png");
    private static final String BROKEN = "sub/broken.png";

    @TempDir
    static Path tmp;
    private Path in;
    private Path out;
    private SparkSession spark;

    @BeforeAll
    void start() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("sdc-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        in = tmp.resolve("in");
        out = tmp.resolve("out");
        for (Map.Entry<String, String> e : IMAGES.entrySet()) {
            Path target = in.resolve(e.getKey());
            Files.createDirectories(target.getParent());
            Files.copy(TESTDATA.resolve(e.getValue()), target);
        }
        byte[] png = Files.readAllBytes(TESTDATA.resolve("shapes-200x120.png"));
        Files.write(in.resolve(BROKEN), Arrays.copyOf(png, png.length / 2)); // a PNG cut in half
        Files.writeString(in.resolve("notes.txt"), "not an image; the job ignores it");
    }

    @AfterAll
    void stop() {
        spark.stop();
    }

    private List<Row> encode(String... extra) {
        String[] args = Stream.concat(Stream.of(in.toString(), out.toString(), "--partitions", "2"),
                Arrays.stream(extra)).toArray(String[]::new);
        return CommandLine.populateCommand(new EncodeJob(), args).run(spark).collectAsList();
    }

    private static Map<String, Row> byRelativePath(List<Row> rows, Path root) {
        Map<String, Row> map = new TreeMap<>();
        for (Row r : rows) {
            String path = new org.apache.hadoop.fs.Path(r.<String>getAs("path")).toUri().getPath();
            map.put(root.toUri().getPath().isEmpty() ? path : Path.of(root.toAbsolutePath().toString())
                    .relativize(Path.of(path)).toString(), r);
        }
        return map;
    }

    /** What {@code sdc encode IN OUT.sdc} writes. */
    private byte[] cliEncode(Path image) throws IOException {
        Path sdc = tmp.resolve("cli").resolve(image.getFileName() + "-" + System.nanoTime() + ".sdc");
        Files.createDirectories(sdc.getParent());
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"encode", "-q", image.toString(), sdc.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        return Files.readAllBytes(sdc);
    }

    private Map<Path, FileTime> outputFiles() throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            Map<Path, FileTime> map = new HashMap<>();
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> !out.relativize(f).toString().startsWith("_manifest")).collect(Collectors.toList())) {
                map.put(out.relativize(f), Files.getLastModifiedTime(f));
            }
            return map;
        }
    }

    @Test
    @Order(1)
    void encodeWritesCliIdenticalFilesAndAManifestOfThem() throws IOException {
        Map<String, Row> rows = byRelativePath(encode(), in);
        assertEquals(Stream.concat(IMAGES.keySet().stream(), Stream.of(BROKEN)).sorted().toList(),
                List.copyOf(rows.keySet()), "one row per image, notes.txt ignored");
        String fingerprint = DefaultBundle.load(null).fingerprintHex();
        for (String rel : IMAGES.keySet()) {
            Row r = rows.get(rel);
            assertEquals("encoded", r.getAs("status"), rel + ": " + r.getAs("error"));
            Path sdc = out.resolve(rel + ".sdc");
            assertEquals(sdc.toUri().getPath(), new org.apache.hadoop.fs.Path(r.<String>getAs("output")).toUri().getPath());
            byte[] bytes = Files.readAllBytes(sdc);
            assertArrayEquals(cliEncode(in.resolve(rel)), bytes, rel + ": the job's .sdc is the CLI's");
            RgbImage image = ImageFiles.read(in.resolve(rel));
            assertEquals(image.width(), (int) r.getAs("width"));
            assertEquals(image.height(), (int) r.getAs("height"));
            assertEquals(bytes.length, (long) r.getAs("bytes"));
            assertEquals(bytes.length * 8.0 / (image.width() * (double) image.height()), r.getAs("bpp"), 1e-12);
            assertEquals("palette", r.getAs("mode"));
            int colors = r.getAs("colors");
            assertTrue(colors >= 1 && colors <= 256, rel + " colours " + colors);
            assertEquals(fingerprint, r.getAs("fingerprint"));
            assertNull(r.getAs("error"));
        }
        Row broken = rows.get(BROKEN);
        assertEquals("failed", broken.getAs("status"));
        String error = broken.getAs("error");
        assertTrue(error.contains("broken.png"), error);
        assertFalse(error.contains("\n"), error);
        assertNull(broken.getAs("bytes"));
        assertEquals(3, broken.<Integer>getAs("code"), "the CLI's exit code for an unreadable image");
        assertNull(rows.get("shapes.png").getAs("code"));
        assertFalse(Files.exists(out.resolve(BROKEN + ".sdc")), "no output for a failed image");
        assertTrue(Files.isDirectory(out.resolve("_manifest")), "manifest defaults to OUTPUT/_manifest");
    }

    @Test
    @Order(2)
    void rerunSkipsValidOutputsAndWritesNothingNew() throws IOException {
        Map<Path, FileTime> before = outputFiles();
        Map<Path, byte[]> contents = new HashMap<>();
        for (Path f : before.keySet()) {
            contents.put(f, Files.readAllBytes(out.resolve(f)));
        }
        Map<String, Row> rows = byRelativePath(encode(), in);
        for (String rel : IMAGES.keySet()) {
            assertEquals("skipped", rows.get(rel).getAs("status"), rel);
            assertEquals(Files.size(out.resolve(rel + ".sdc")), (long) rows.get(rel).getAs("bytes"), rel);
        }
        assertEquals("failed", rows.get(BROKEN).getAs("status"));
        assertEquals(before, outputFiles(), "no file written, touched or added");
        for (Path f : before.keySet()) {
            assertArrayEquals(contents.get(f), Files.readAllBytes(out.resolve(f)), f.toString());
        }
    }

    @Test
    @Order(3)
    void rerunResumesMissingAndDamagedOutputs() throws IOException {
        Path missing = out.resolve("shapes.png.sdc");
        Path damaged = out.resolve("sub/deep/tall.png.sdc");
        byte[] good = Files.readAllBytes(damaged);
        Files.delete(missing);
        Files.write(damaged, Arrays.copyOf(good, good.length - 3)); // an interrupted, non-atomic copy
        Map<String, Row> rows = byRelativePath(encode(), in);
        assertEquals("encoded", rows.get("shapes.png").getAs("status"));
        assertEquals("encoded", rows.get("sub/deep/tall.png").getAs("status"));
        assertEquals("skipped", rows.get("sub/landscape.png").getAs("status"));
        assertArrayEquals(good, Files.readAllBytes(damaged));
        assertArrayEquals(cliEncode(in.resolve("shapes.png")), Files.readAllBytes(missing));
    }

    @Test
    @Order(4)
    void decodeJobRoundTripsToTheCliDecode() throws IOException {
        Files.write(out.resolve("sub/garbage.sdc"), new byte[] {'S', 'D', 'C', 0, 1, 2, 3});
        Path images = tmp.resolve("decoded");
        List<Row> list = CommandLine.populateCommand(new DecodeJob(),
                out.toString(), images.toString(), "--partitions", "2").run(spark).collectAsList();
        Map<String, Row> rows = byRelativePath(list, out);
        assertEquals(4, rows.size(), rows.keySet().toString());
        Row garbage = rows.get("sub/garbage.sdc");
        assertEquals("failed", garbage.getAs("status"));
        assertNotNull(garbage.getAs("error"));
        for (String rel : IMAGES.keySet()) {
            Row r = rows.get(rel + ".sdc");
            assertEquals("decoded", r.getAs("status"), rel + ": " + r.getAs("error"));
            Path png = images.resolve(rel); // photo.png.sdc -> photo.png
            assertEquals(png.toUri().getPath(), new org.apache.hadoop.fs.Path(r.<String>getAs("output")).toUri().getPath());
            Path cli = tmp.resolve("cli-" + System.nanoTime() + ".png");
            StringWriter err = new StringWriter();
            assertEquals(0, Main.run(new String[] {"decode", "-q", out.resolve(rel + ".sdc").toString(), cli.toString()},
                    new PrintWriter(new StringWriter()), new PrintWriter(err)), err.toString());
            RgbImage job = ImageFiles.read(png);
            RgbImage expected = ImageFiles.read(cli);
            assertEquals(ImageFiles.read(in.resolve(rel)).width(), job.width());
            assertArrayEquals(expected.rgb(), job.rgb(), rel + ": the job decodes as the CLI does");
        }
        Map<Path, FileTime> before = new HashMap<>();
        try (Stream<Path> files = Files.walk(images)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("_manifest")).toList()) {
                before.put(f, Files.getLastModifiedTime(f));
            }
        }
        List<Row> again = CommandLine.populateCommand(new DecodeJob(),
                out.toString(), images.toString(), "--partitions", "2").run(spark).collectAsList();
        assertEquals(3, again.stream().filter(r -> "skipped".equals(r.getAs("status"))).count());
        for (Map.Entry<Path, FileTime> e : before.entrySet()) {
            assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey()), "decode rerun rewrote " + e.getKey());
        }
    }

    @Test
    @Order(5)
    void decodeToJpeg() {
        Path jpegs = tmp.resolve("jpegs");
        List<Row> rows = CommandLine.populateCommand(new DecodeJob(), out.toString(), jpegs.toString(),
                "--format", "jpeg", "--no-denoise").run(spark).collectAsList();
        assertEquals(3, rows.stream().filter(r -> "decoded".equals(r.getAs("status"))).count());
        RgbImage tall = ImageFiles.read(jpegs.resolve("sub/deep/tall.jpg"));
        assertEquals(37, tall.width());
        assertEquals(1001, tall.height());
    }

    /** --mode scalar -Q 40 gives the CLI's bytes; palette options with the scalar mode are sdc encode's usage error. */
    @Test
    @Order(6)
    void scalarModeWritesCliIdenticalFiles() throws IOException {
        String bundle = Path.of(System.getProperty("sdc.root", "../.."), "testdata", "bundles", "test-scalar")
                .toAbsolutePath().normalize().toString();
        Path scalarOut = tmp.resolve("scalar-out");
        List<Row> rows = CommandLine.populateCommand(new EncodeJob(), in.toString(), scalarOut.toString(),
                "--partitions", "2", "--model", bundle, "--mode", "scalar", "-Q", "40").run(spark).collectAsList();
        Map<String, Row> byPath = byRelativePath(rows, in);
        for (String rel : IMAGES.keySet()) {
            Row r = byPath.get(rel);
            assertEquals("encoded", r.getAs("status"), rel + ": " + r.getAs("error"));
            assertEquals("scalar", r.getAs("mode"));
            Path cli = tmp.resolve("cli-scalar").resolve(rel.replace('/', '_') + ".sdc");
            Files.createDirectories(cli.getParent());
            StringWriter err = new StringWriter();
            int code = Main.run(new String[] {"encode", "-q", in.resolve(rel).toString(), cli.toString(), "--model", bundle,
                    "--mode", "scalar", "-Q", "40"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertEquals(0, code, err.toString());
            assertArrayEquals(Files.readAllBytes(cli), Files.readAllBytes(scalarOut.resolve(rel + ".sdc")), rel);
        }
        EncodeJob mixed = CommandLine.populateCommand(new EncodeJob(), in.toString(), scalarOut.toString(),
                "--mode", "scalar", "--colors", "16");
        dev.sdc.SdcException e = assertThrows(dev.sdc.SdcException.class, mixed::quantizerMode);
        assertEquals(dev.sdc.ExitCode.USAGE, e.exitCode());
    }

    private static final Path INPUTS = Path.of(System.getProperty("sdc.root", "../.."), "testdata", "input");

    /** A folder by the CLI's rules: '_' names kept, empty files named, dot names skipped, WebP read, no glob. */
    private Path cliRulesFolder() throws IOException {
        Path root = tmp.resolve("Photos [2019]"); // a glob to Hadoop, a folder name to a user
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root.resolve("_old"));
            Files.copy(TESTDATA.resolve("shapes-200x120.png"), root.resolve("_MG_0001.png"));
            Files.copy(TESTDATA.resolve("shapes-200x120.png"), root.resolve("_old/x.png"));
            Files.copy(TESTDATA.resolve("shapes-200x120.png"), root.resolve(".hidden.png"));
            Files.copy(INPUTS.resolve("upright.webp"), root.resolve("up.webp"));
            Files.write(root.resolve("empty.png"), new byte[0]);
        }
        return root;
    }

    private List<Row> encodeFolder(Path root, Path target, String... extra) {
        String[] args = Stream.concat(Stream.of(root.toString(), target.toString()), Arrays.stream(extra))
                .toArray(String[]::new);
        return CommandLine.populateCommand(new EncodeJob(), args).run(spark).collectAsList();
    }

    @Test
    @Order(7)
    void inputsAreListedAsTheCliListsThem() throws IOException {
        Path root = cliRulesFolder();
        Path target = tmp.resolve("rules-out");
        Path killed = target.resolve("._manifest.tmp"); // what a run killed while writing its manifest leaves
        Files.createDirectories(killed);
        Files.writeString(killed.resolve("part-00000.parquet"), "half a manifest");
        Map<String, Row> rows = byRelativePath(encodeFolder(root, target), root);
        assertEquals(List.of("_MG_0001.png", "_old/x.png", "empty.png", "up.webp"), List.copyOf(rows.keySet()));
        for (String rel : List.of("_MG_0001.png", "_old/x.png", "up.webp")) {
            assertEquals("encoded", rows.get(rel).getAs("status"), rel + ": " + rows.get(rel).getAs("error"));
            assertTrue(Files.isRegularFile(target.resolve(rel + ".sdc")), rel);
        }
        assertEquals("failed", rows.get("empty.png").getAs("status"));
        String emptyError = rows.get("empty.png").getAs("error");
        assertTrue(emptyError.contains("empty"), emptyError);
        try (Stream<Path> left = Files.list(target)) {
            assertEquals(List.of("_MG_0001.png.sdc", "_manifest", "_old", "up.webp.sdc"),
                    left.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary manifest left, nor the killed run's");
        }
    }

    @Test
    @Order(8)
    void aRerunKeepsOutputsUnlessForced() throws IOException {
        Path root = cliRulesFolder();
        Path target = tmp.resolve("rules-out");
        Path sdc = target.resolve("_MG_0001.png.sdc");
        byte[] before = Files.readAllBytes(sdc);
        Map<String, Row> kept = byRelativePath(encodeFolder(root, target, "--colors", "4"), root);
        assertEquals("skipped", kept.get("_MG_0001.png").getAs("status"), "valid for the bundle: kept");
        assertArrayEquals(before, Files.readAllBytes(sdc));
        Map<String, Row> forced = byRelativePath(encodeFolder(root, target, "--colors", "4", "--force"), root);
        assertEquals("encoded", forced.get("_MG_0001.png").getAs("status"));
        assertTrue((int) forced.get("_MG_0001.png").getAs("colors") <= 4);
        assertArrayEquals(cliEncodeWith(root.resolve("_MG_0001.png"), "--colors", "4"), Files.readAllBytes(sdc));
    }

    private byte[] cliEncodeWith(Path image, String... extra) throws IOException {
        Path sdc = tmp.resolve("cli").resolve(image.getFileName() + "-" + System.nanoTime() + ".sdc");
        Files.createDirectories(sdc.getParent());
        StringWriter err = new StringWriter();
        String[] args = Stream.concat(Stream.of("encode", "-q", image.toString(), sdc.toString()), Arrays.stream(extra))
                .toArray(String[]::new);
        assertEquals(0, Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err)), err.toString());
        return Files.readAllBytes(sdc);
    }

    @Test
    @Order(9)
    void twoInputsForOneOutputAreRefusedBeforeAnyWork() throws IOException {
        Path sdcs = tmp.resolve("twins");
        Files.createDirectories(sdcs);
        byte[] one = Files.readAllBytes(out.resolve("shapes.png.sdc"));
        Files.write(sdcs.resolve("photo.jpg.sdc"), one);
        Files.write(sdcs.resolve("photo.png.sdc"), one);
        Path images = tmp.resolve("twins-out");
        dev.sdc.SdcException e = assertThrows(dev.sdc.SdcException.class, () -> CommandLine.populateCommand(
                new DecodeJob(), sdcs.toString(), images.toString()).run(spark));
        assertEquals(dev.sdc.ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("would both be written to"), e.getMessage());
        assertFalse(Files.exists(images), "nothing written");
    }

    @Test
    @Order(10)
    void badInputsOutputsAndModelsFailTheJobBeforeAnyWorkWithTheCliExitCode() throws IOException {
        Path manifest = out.resolve("_manifest");
        Map<Path, FileTime> before = new HashMap<>();
        try (Stream<Path> files = Files.list(manifest)) {
            for (Path f : files.toList()) {
                before.put(f, Files.getLastModifiedTime(f));
            }
        }
        assertFails(dev.sdc.ExitCode.MODEL, () -> encode("--model", tmp.resolve("no-such-bundle").toString()));
        Map<Path, FileTime> after = new HashMap<>();
        try (Stream<Path> files = Files.list(manifest)) {
            for (Path f : files.toList()) {
                after.put(f, Files.getLastModifiedTime(f));
            }
        }
        assertEquals(before, after, "a failed run keeps the previous manifest");
        assertFails(dev.sdc.ExitCode.MODEL, () -> encode("--mode", "scalar")); // tiny has no scalar prior
        assertFails(dev.sdc.ExitCode.USAGE, () -> encode("--manifest", in.toString())); // would delete the inputs
        assertTrue(Files.isRegularFile(in.resolve("shapes.png")));
        assertFails(dev.sdc.ExitCode.BAD_INPUT, () -> encodeFolder(tmp.resolve("missing"), tmp.resolve("o1")));
        Path empty = Files.createDirectories(tmp.resolve("empty-in"));
        Files.writeString(empty.resolve("notes.txt"), "no images");
        assertFails(dev.sdc.ExitCode.BAD_INPUT, () -> encodeFolder(empty, tmp.resolve("o2")));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertFails(dev.sdc.ExitCode.IO, () -> encodeFolder(in, file));
        for (String[] usage : List.of(new String[] {"--preset", "foo"}, new String[] {"--colors", "0"},
                new String[] {"--partitions", "0"}, new String[] {"--files-per-partition", "0"})) {
            EncodeJob job = CommandLine.populateCommand(new EncodeJob(),
                    Stream.concat(Stream.of(in.toString(), tmp.resolve("o3").toString()), Arrays.stream(usage))
                            .toArray(String[]::new));
            assertFails(dev.sdc.ExitCode.USAGE, job::call);
        }
        DecodeJob steps = CommandLine.populateCommand(new DecodeJob(), out.toString(), tmp.resolve("o4").toString(),
                "--steps", "-1");
        assertFails(dev.sdc.ExitCode.USAGE, steps::call);
    }

    private static void assertFails(dev.sdc.ExitCode code, org.junit.jupiter.api.function.Executable run) {
        dev.sdc.SdcException e = assertThrows(dev.sdc.SdcException.class, run);
        assertEquals(code, e.exitCode(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    /** A bad image does not fail the job; a run in which every file failed does, with sdc's exit code for it. */
    @Test
    void aRunInWhichEveryFileFailedIsNoSuccess() throws IOException {
        Path bad = Files.createDirectories(tmp.resolve("all-bad"));
        Files.writeString(bad.resolve("a.png"), "not a png");
        Files.write(bad.resolve("b.jpg"), new byte[0]);
        Path target = tmp.resolve("all-bad-out");
        encodeFolder(bad, target);
        Dataset<Row> manifest = spark.read().parquet(target.resolve("_manifest").toString());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int code = Jobs.allFailed(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8),
                "sdc-spark-encode", manifest, "M");
        String err = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(3, code, err);
        assertTrue(err.startsWith("sdc-spark-encode: error: all 2 files failed (the manifest M says why; the first: "), err);
        assertTrue(err.contains("a.png"), err);
        assertEquals(1, err.strip().lines().count(), err);
        Dataset<Row> good = spark.read().parquet(out.resolve("_manifest").toString());
        assertEquals(0, Jobs.allFailed(System.err, "x", good, "M"), "the main run has a failed row, and others");
    }

    @Test
    void aTaskErrorWrappedBySparkIsReportedByItsSdcCause() {
        dev.sdc.SdcException cause = new dev.sdc.model.ModelException("bundle x: missing");
        assertSame(cause, Jobs.sdcCause(new org.apache.spark.SparkException("Job aborted", new RuntimeException(cause))));
        assertNull(Jobs.sdcCause(new RuntimeException("other")));
    }
}
