package dev.sdc.eval;

import dev.sdc.SdcException;
import dev.sdc.eval.baseline.ExternalProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EvalCommandTest {
    /** results.csv columns by name (ResultsCsv.HEADER), so that a new column does not shift every test. */
    private static final List<String> COLUMNS = List.of(ResultsCsv.HEADER.split(","));
    private static final int ENCODE_MS = COLUMNS.indexOf("encode_ms");
    private static final int DECODE_MS = COLUMNS.indexOf("decode_ms");
    private static final int QUALITY = COLUMNS.indexOf("quality");
    private static final int TARGET_BYTES = COLUMNS.indexOf("target_bytes");
    private static final int FIT = COLUMNS.indexOf("fit");
    private static final int COMMAND = COLUMNS.indexOf("command");

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private record Run(int exit, String err, FakeSdcCodec codec, List<Path> modelsSeen) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FakeSdcCodec codec = new FakeSdcCodec();
        List<Path> seen = new ArrayList<>();
        EvalCommand command = new EvalCommand(model -> {
            seen.add(model);
            return codec;
        }, new PrintStream(err, true, StandardCharsets.UTF_8));
        CommandLine cl = new CommandLine(command);
        // What the real CLI does: an SdcException exits with its own code.
        cl.setExecutionExceptionHandler((e, c, parsed) -> e instanceof SdcException s ? s.exitCode().code() : 1);
        int exit = cl.execute(args);
        return new Run(exit, err.toString(StandardCharsets.UTF_8), codec, seen);
    }

    private static Path images(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("in"));
        Files.copy(Path.of("testdata/eval/ref.png"), dir.resolve("a.png"));
        Files.copy(Path.of("testdata/eval/blurred.png"), dir.resolve("b.png"));
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        return dir;
    }

    private static void assertPng(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " missing");
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " is not a readable PNG");
        assertTrue(img.getWidth() > 100 && img.getHeight() > 100);
    }

    @Test
    void sdcAloneWritesEveryReportFile(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("report");
        Run r = run(images(tmp).toString(), "--out", out.toString(), "--codecs", "none", "--colors", "16,256",
                "--jobs", "2", "--sheets", "1", "--model", tmp.resolve("bundle").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.codec().closed, "codec closed after the run");
        assertEquals(List.of(tmp.resolve("bundle")), r.modelsSeen());

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(ResultsCsv.HEADER, csv.get(0));
        assertEquals(1 + 2 * 2, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("a.png,sdc,colors=16,"), csv.get(1));
        assertTrue(csv.get(4).startsWith("b.png,sdc,colors=256,"), csv.get(4));
        // 192x176 downsampled 4x: 48*44*3 bytes + 12-byte header.
        assertEquals(String.valueOf(48 * 44 * 3 + 12), csv.get(1).split(",")[3]);

        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("sdc eval " + tmp.resolve("in") + " --out " + out), summary);
        assertTrue(summary.contains("fake-downsampler"));
        assertTrue(summary.contains("| sdc | colors=16 | 2 |"), summary);

        assertPng(out.resolve("rd_psnr.png"));
        assertPng(out.resolve("rd_msssim.png"));
        try (Stream<Path> files = Files.list(out)) {
            List<Path> sheets = files.filter(p -> p.getFileName().toString().startsWith("sheet_")).toList();
            assertEquals(2, sheets.size(), "one image x two settings");
            for (Path s : sheets) {
                assertPng(s);
            }
        }
    }

    /** Scalar rows at bit-rate targets with the real scalar test bundle; an unreachable target is a warning. */
    @Test
    void scalarRowsLandAtOrUnderTheirTargets(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("report");
        Path img = images(tmp).resolve("a.png");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        EvalCommand command = new EvalCommand(model -> new dev.sdc.codec.BundleCodec(dev.sdc.model.Bundle.load(model)),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler((e, c, parsed) -> e instanceof SdcException x ? x.exitCode().code() : 1);
        int exit = cl.execute(img.toString(), "--out", out.toString(), "--codecs", "none", "--colors", "16",
                "--scalar-bpp", "0.5,1.5,0.001", "--sheets", "1", "--model", "testdata/bundles/test-scalar");
        String log = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, log);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 3, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("a.png,sdc,colors=16,"), csv.get(1));
        for (String target : new String[] {"0.5", "1.5"}) {
            String row = csv.stream().filter(l -> l.startsWith("a.png,sdc-scalar,bpp=" + target + ",")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + target + ": " + csv));
            double bpp = Double.parseDouble(row.split(",")[4]);
            assertTrue(bpp <= Double.parseDouble(target) && bpp > 0, row);
            assertTrue(row.contains("mode=scalar, target=" + target + " bpp"), row);
        }
        assertTrue(log.contains("sdc: warning: a.png, sdc-scalar bpp=0.001:") && log.contains("too small"), log);
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| sdc-scalar | bpp=0.5 | 1 |"));
    }

    @Test
    void scalarTargetsNeedABundleWithAPrior(@TempDir Path tmp) throws IOException {
        String in = images(tmp).toString();
        Run r = run(in, "--out", tmp.resolve("r").toString(), "--codecs", "none",
                "--colors", "16", "--scalar-bpp", "0.1");
        assertEquals(4, r.exit(), r.err());
        assertFalse(Files.exists(tmp.resolve("r")), "a refused run leaves no empty report folder");
        Run bad = run(in, "--out", tmp.resolve("r2").toString(), "--codecs", "none",
                "--colors", "16", "--scalar-bpp", "fast");
        assertEquals(2, bad.exit(), bad.err());
        assertFalse(Files.exists(tmp.resolve("r2")));
        Run none = run(in, "--out", tmp.resolve("r3").toString(), "--codecs", "none",
                "--colors", "16", "--scalar-bpp", "none", "--sheets", "0");
        assertEquals(0, none.exit(), none.err());
    }

    @Test
    void lookIsUsedForEverySdcDecode(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("report");
        Path in = images(tmp);
        Run r = run(in.toString(), "--out", out.toString(), "--codecs", "none", "--colors", "16",
                "--sheets", "0", "--ablations", "--look", "sharp");
        assertEquals(0, r.exit(), r.err());
        // the untimed warm-up, then 2 images x (sdc, no denoise); the fake's autoencode decodes too, with its
        // own (faithful) defaults
        assertEquals(5, r.codec().looks.stream().filter("sharp"::equals).count(), r.codec().looks.toString());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(csv.stream().anyMatch(l -> l.contains(",sdc,") && l.contains("decode(defaults, look=sharp)")),
                String.join("\n", csv));
        assertTrue(csv.stream().anyMatch(l -> l.contains("decode(no denoise, look=sharp)")), String.join("\n", csv));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("(look sharp)"));
        Run plain = run(in.toString(), "--out", tmp.resolve("r2").toString(), "--codecs", "none",
                "--colors", "16", "--sheets", "0");
        assertEquals(List.of("faithful", "faithful", "faithful"), plain.codec().looks, "warm-up, a.png, b.png");
    }

    @Test
    void ablationsAddAutoencoderAndNoDenoiseRows(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("report");
        Run r = run(images(tmp).toString(), "--out", out.toString(), "--codecs", "none", "--colors", "16,256",
                "--sheets", "0", "--ablations");
        assertEquals(0, r.exit(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        // per image: 1 autoencoder row + 2 settings x (sdc, sdc-no-denoise)
        assertEquals(1 + 2 * (1 + 2 * 2), csv.size(), String.join("\n", csv));
        assertEquals(2, csv.stream().filter(l -> l.contains(",sdc-autoencoder,unquantized,")).count());
        assertEquals(4, csv.stream().filter(l -> l.contains(",sdc-no-denoise,colors=")).count());
        // raw float32 latent of the fake codec: 3 x 88 x 96 x 4 bytes
        String ae = csv.stream().filter(l -> l.startsWith("a.png,sdc-autoencoder")).findFirst().orElseThrow();
        assertEquals(String.valueOf(3 * 88 * 96 * 4), ae.split(",")[3]);
        double detail = Double.parseDouble(ae.split(",", -1)[COLUMNS.indexOf("detail")]);
        assertTrue(detail >= 0 && detail < 10, "detail ratio of the autoencoder row: " + ae);
        assertFalse(ae.split(",", -1)[ENCODE_MS].isEmpty(), "the one timed call is in encode_ms: " + ae);
        assertEquals("", ae.split(",", -1)[DECODE_MS], "no separate decode to time (it was 0): " + ae);
    }

    @Test
    void withRealWebpEachSettingGetsAMatchedBaselineRow(@TempDir Path tmp) throws IOException {
        assumeTrue(ExternalProcess.which("cwebp").isPresent() && ExternalProcess.which("dwebp").isPresent(),
                "cwebp/dwebp not installed");
        Path out = tmp.resolve("report");
        Path img = images(tmp).resolve("a.png");
        Run r = run(img.toString(), "--out", out.toString(), "--codecs", "webp", "--colors", "16,64", "--jobs", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.modelsSeen().contains(null), "no --model: factory gets null");
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 2 * 2, csv.size(), String.join("\n", csv));
        for (int row : new int[] {2, 4}) {
            String[] f = csv.get(row).split(",", -1);
            assertEquals("webp", f[1]);
            long bytes = Long.parseLong(f[3]);
            long target = Long.parseLong(f[TARGET_BYTES]);
            String fit = f[FIT];
            assertTrue(fit.equals("ok") ? bytes >= target : !fit.isEmpty(), csv.get(row));
            assertTrue(f[COMMAND].startsWith("cwebp -quiet -q " + f[QUALITY] + " "), csv.get(row));
            assertTrue(Double.parseDouble(f[5]) > 15, "psnr " + f[5]);
        }
        String sdcTarget = csv.get(1).split(",")[3];
        assertEquals(sdcTarget, csv.get(2).split(",")[TARGET_BYTES], "webp matched to sdc's bytes");
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| webp | colors=16 |"));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(2, files.filter(p -> p.getFileName().toString().startsWith("sheet_")).count());
        }
    }

    @Test
    void avif2xRowsAreMatchedToSdcBytesWithBppOverTheOriginalPixels(@TempDir Path tmp) throws IOException {
        assumeTrue(ExternalProcess.which("avifenc").isPresent() && ExternalProcess.which("avifdec").isPresent(),
                "avifenc/avifdec not installed");
        Path out = tmp.resolve("report");
        Path img = images(tmp).resolve("a.png"); // 192x176; avif2x codes 96x88
        Run r = run(img.toString(), "--out", out.toString(), "--codecs", "avif2x", "--colors", "16", "--jobs", "1",
                "--sheets", "1");
        assertEquals(0, r.exit(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 2, csv.size(), String.join("\n", csv));
        String[] f = csv.get(2).split(",", -1);
        assertEquals("a.png", f[0]);
        assertEquals("avif2x", f[1]);
        assertEquals("colors=16", f[2]);
        long bytes = Long.parseLong(f[3]);
        assertEquals(bytes * 8.0 / (192 * 176), Double.parseDouble(f[4]), 1e-6, "bpp over the original's pixels");
        assertEquals(csv.get(1).split(",")[3], f[TARGET_BYTES], "matched to sdc's bytes");
        assertTrue(f[FIT].equals("ok") ? bytes >= Long.parseLong(f[TARGET_BYTES]) : !f[FIT].isEmpty(), csv.get(2));
        assertTrue(f[COMMAND].startsWith("resize lanczos3 192x176 -> 96x88; avifenc --speed 4 --jobs 1 --yuv 420 --min "
                + (63 - Integer.parseInt(f[QUALITY])) + " "), f[COMMAND]);
        assertTrue(f[COMMAND].endsWith("small.png out.avif; decode; resize lanczos3 96x88 -> 192x176"), f[COMMAND]);
        assertTrue(Double.parseDouble(f[5]) > 15, "psnr " + f[5]);

        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| avif2x | colors=16 | 1 |"), summary);
        assertTrue(summary.contains("- avif2x: avifenc "), summary);
        assertTrue(summary.contains("at 1/2 size (lanczos3 down, lanczos3 up, in sdc)"), summary);
        assertPng(out.resolve("rd_psnr.png"));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith("sheet_")).count());
        }
    }

    /** One unreadable image is a warning: the report covers the others, and exit 3 tells a script. */
    @Test
    void anUnreadableImageIsSkippedNotTheWholeRun(@TempDir Path tmp) throws IOException {
        Path in = images(tmp);
        Files.write(in.resolve("zz.png"), java.util.Arrays.copyOf(Files.readAllBytes(in.resolve("a.png")), 100));
        Files.writeString(in.resolve("._a.png"), "AppleDouble junk"); // hidden: skipped like encode's folders
        Path out = tmp.resolve("report");
        Run r = run(in.toString(), "--out", out.toString(), "--codecs", "none", "--colors", "16", "--sheets", "0");
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("sdc: warning: ") && r.err().contains("zz.png") && r.err().contains("skipped"), r.err());
        assertTrue(r.err().contains("1 of 3 images could not be read"), r.err());
        assertFalse(r.err().contains("._a.png"), r.err());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(3, csv.size(), "header, a.png, b.png: " + csv);
    }

    @Test
    void inputsThatWouldShareRowsAreRefused(@TempDir Path tmp) throws IOException {
        Path in = images(tmp);
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.copy(in.resolve("b.png"), other.resolve("a.png"));
        String out = tmp.resolve("o").toString();
        Run same = run(in.toString(), other.toString(), "--out", out, "--codecs", "none");
        assertEquals(2, same.exit(), same.err());
        assertTrue(same.err().isEmpty() || !same.err().contains("wrote"), same.err());
        assertEquals(2, run(in.resolve("a.png").toString(), in.toString(), "--out", out, "--codecs", "none").exit());
        assertEquals(2, run(in.toString(), "--out", out, "--codecs", "none", "--colors", "16,16").exit());
        assertEquals(2, run(in.toString(), "--out", out, "--codecs", "webp,WEBP", "--colors", "16").exit());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    /** A stale plot or sheet beside a new results.csv would look current: refuse, or with --force replace. */
    @Test
    void anEarlierReportIsRefusedOrReplacedWhole(@TempDir Path tmp) throws IOException {
        Path in = images(tmp);
        Path out = Files.createDirectories(tmp.resolve("report"));
        // a report written before the index: its two core files and a sheet
        Files.writeString(out.resolve("results.csv"), "old");
        Files.writeString(out.resolve("summary.md"), "old");
        Files.writeString(out.resolve("sheet_old_colors4.png"), "stale");
        Files.writeString(out.resolve("notes.md"), "mine");
        String[] args = {in.toString(), "--out", out.toString(), "--codecs", "none", "--colors", "16", "--sheets", "0"};
        Run refused = run(args);
        assertEquals(5, refused.exit(), refused.err());
        assertTrue(refused.err().isEmpty(), "refused before any work, by the exception: " + refused.err());
        assertTrue(Files.exists(out.resolve("sheet_old_colors4.png")));

        String[] forced = java.util.Arrays.copyOf(args, args.length + 1);
        forced[args.length] = "--force";
        Run r = run(forced);
        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.exists(out.resolve("sheet_old_colors4.png")), "the old report's files are gone");
        assertEquals("mine", Files.readString(out.resolve("notes.md")), "other files stay");
        assertTrue(Files.exists(out.resolve("results.csv")));
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        assertEquals(5, run(in.toString(), "--out", file.toString(), "--codecs", "none").exit());

        // now with the index the new report wrote: its sheets go, a file merely named like one stays
        Run sheets = run(in.toString(), "--out", out.toString(), "--codecs", "none", "--colors", "16", "-f");
        assertEquals(0, sheets.exit(), sheets.err());
        List<String> index = Files.readAllLines(out.resolve(ReportFolder.INDEX));
        assertTrue(index.containsAll(List.of("results.csv", "summary.md", "sheet_a_colors16.png")), index.toString());
        Files.writeString(out.resolve("rd_holiday.png"), "a photo");
        assertEquals(0, run(forced).exit());
        assertFalse(Files.exists(out.resolve("sheet_a_colors16.png")), "--sheets 0: the last report's sheets are gone");
        assertEquals("a photo", Files.readString(out.resolve("rd_holiday.png")));
    }

    /** A folder of photos is never taken for a report: not refused, not deleted from with --force. */
    @Test
    void photosNamedLikeReportFilesAreNeitherRefusedNorDeleted(@TempDir Path tmp) throws IOException {
        Path in = images(tmp);
        Path out = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(in.resolve("a.png"), out.resolve("rd_holiday.png"));
        Files.copy(in.resolve("b.png"), out.resolve("sheet_music.png"));
        Run r = run(in.toString(), "--out", out.toString(), "--codecs", "none", "--colors", "16", "--sheets", "0", "-f");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(out.resolve("rd_holiday.png")) && Files.exists(out.resolve("sheet_music.png")));
        // --out as an input folder: the next run would read the plots and sheets as photos
        Run same = run(out.toString(), "--out", out.toString(), "--codecs", "none", "--colors", "16", "-f");
        assertEquals(2, same.exit(), same.err());
        // an input that is a file of the report --force is about to replace
        Run own = run(out.resolve("rd_psnr.png").toString(), "--out", out.toString(), "--codecs", "none", "-f");
        assertEquals(2, own.exit(), own.err());
        assertTrue(Files.exists(out.resolve("rd_psnr.png")));
    }

    /** What the rows lack is said in summary.md too; a run that could read no image writes no report. */
    @Test
    void unreadableImagesAreListedAndNoneReadableWritesNoReport(@TempDir Path tmp) throws IOException {
        Path in = images(tmp);
        Files.writeString(in.resolve("broken.png"), "not a png");
        Files.createSymbolicLink(in.resolve("gone.png"), tmp.resolve("nowhere.png"));
        Path out = tmp.resolve("r");
        Run r = run(in.toString(), "--out", out.toString(), "--codecs", "none", "--colors", "16", "--sheets", "0");
        assertEquals(3, r.exit(), r.err());
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("Left out:") && summary.contains("broken.png") && summary.contains("gone.png"), summary);
        // the one sheet falls on an unreadable image (sorted first): it goes to the next readable one
        Path first = Files.createDirectories(tmp.resolve("first"));
        Files.writeString(first.resolve("0bad.png"), "not a png");
        Files.copy(in.resolve("a.png"), first.resolve("a.png"));
        Run sheet = run(first.toString(), "--out", tmp.resolve("r1").toString(), "--codecs", "none", "--colors", "16",
                "--sheets", "1");
        assertEquals(3, sheet.exit(), sheet.err());
        assertTrue(Files.exists(tmp.resolve("r1/sheet_a_colors16.png")), "a sheet is still made");
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(bad.resolve("x.png"), "not a png");
        Run none = run(bad.toString(), "--out", tmp.resolve("r2/x/y").toString(), "--codecs", "none");
        assertEquals(3, none.exit(), none.err());
        assertFalse(Files.exists(tmp.resolve("r2")), "no folder left behind, nor the ones made above it");
    }

    @Test
    void aliasesAndSpellingsOfOneValueAreOneValue(@TempDir Path tmp) throws IOException {
        String in = images(tmp).toString();
        String out = tmp.resolve("o").toString();
        assertEquals(2, run(in, "--out", out, "--codecs", "jpeg,jpg").exit());
        assertEquals(2, run(in, "--out", out, "--codecs", "none,jpeg").exit());
        assertEquals(2, run(in, "--out", out, "--scalar-bpp", "0.1,0.10").exit());
        assertEquals(2, run(in, "--out", out, "--scalar-bpp", "0.1f").exit());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    /** An animation is evaluated on its first frame, as encode reads it, and the run says so. */
    @Test
    void anAnimationIsWarnedOfAsEncodeWarns(@TempDir Path tmp) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(Path.of("testdata/input/animated.gif"), in.resolve("anim.gif"));
        Run r = run(in.toString(), "--out", tmp.resolve("o").toString(), "--codecs", "none", "--colors", "4",
                "--sheets", "0");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("sdc: warning: ") && r.err().contains("anim.gif: animated ("), r.err());
        assertTrue(r.err().contains("only the first frame is read"), r.err());
    }

    @Test
    void badArgumentsFailWithUsageOrBadInput(@TempDir Path tmp) {
        assertEquals(2, run(tmp.toString(), "--out", tmp.resolve("o").toString(), "--jobs", "0").exit());
        assertEquals(2, run(tmp.toString(), "--out", tmp.resolve("o").toString(), "--jobs", "257").exit());
        assertEquals(2, run(tmp.toString(), "--out", tmp.resolve("o").toString(), "--colors", "300").exit());
        assertEquals(3, run(tmp.resolve("missing.png").toString(), "--out", tmp.resolve("o").toString()).exit());
        assertEquals(3, run(tmp.toString(), "--out", tmp.resolve("o").toString()).exit(), "empty folder");
        assertEquals(2, run(tmp.toString(), "--out", tmp.resolve("o").toString(), "--codecs", "bpg").exit());
    }
}
