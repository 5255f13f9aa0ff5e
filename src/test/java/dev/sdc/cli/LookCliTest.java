package dev.sdc.cli;

import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.model.LookBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sdc decode --look} and the looks line of {@code sdc info} (issue 14). */
class LookCliTest {
    @TempDir
    Path dir;

    private Path bundle() {
        return LookBundles.withSharpLook(dir.resolve("bundle"), LookBundles.SHARP_DECODER);
    }

    private Path encoded(Path bundle) {
        Path sdc = dir.resolve("a.sdc");
        CliTest.Result r = CliTest.sdc("encode", CliTest.IMAGE.toString(), sdc.toString(), "--model", bundle.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        return sdc;
    }

    private RgbImage decode(Path bundle, Path sdc, String name, String... extra) {
        Path png = dir.resolve(name);
        String[] args = Stream.concat(Stream.of("decode", sdc.toString(), png.toString(), "--model", bundle.toString(),
                "-q"), Arrays.stream(extra)).toArray(String[]::new);
        CliTest.Result r = CliTest.sdc(args);
        assertEquals(0, r.code(), r.err());
        return ImageFiles.read(png);
    }

    @Test
    void decodeRendersTheChosenLook() {
        Path bundle = bundle();
        Path sdc = encoded(bundle);
        RgbImage byDefault = decode(bundle, sdc, "default.png");
        RgbImage faithful = decode(bundle, sdc, "faithful.png", "--look", "faithful");
        RgbImage sharp = decode(bundle, sdc, "sharp.png", "--look", "sharp");
        assertArrayEquals(byDefault.rgb(), faithful.rgb(), "faithful is the default");
        assertFalse(Arrays.equals(faithful.rgb(), sharp.rgb()));
        assertEquals(200, sharp.width());
        assertEquals(120, sharp.height());
        CliTest.Result loud = CliTest.sdc("decode", sdc.toString(), dir.resolve("loud.png").toString(), "--model",
                bundle.toString(), "--look", "sharp");
        assertEquals(0, loud.code(), loud.err());
        assertTrue(loud.err().contains("look sharp"), loud.err());
    }

    @Test
    void aLookTheBundleLacksIsAOneLineUsageErrorBeforeAnyOutput() throws IOException {
        Path bundle = bundle();
        Path sdc = encoded(bundle);
        Path png = dir.resolve("x.png");
        CliTest.Result r = CliTest.sdc("decode", sdc.toString(), png.toString(), "--model", bundle.toString(),
                "--look", "vivid");
        CliTest.assertOneLineError(r, 2);
        assertTrue(r.err().contains("--look: no look 'vivid' in bundle 'test' (it has: faithful, sharp)"), r.err());
        assertFalse(Files.exists(png));
        CliTest.Result plain = CliTest.sdc("decode", sdc.toString(), png.toString(), "--model",
                CliTest.TEST_BUNDLE.toString(), "--look", "sharp");
        CliTest.assertOneLineError(plain, 2);
        assertTrue(plain.err().contains("(it has: faithful)"), plain.err());
        assertFalse(Files.exists(png));
        CliTest.Result batch = CliTest.sdc("decode", "-o", dir.resolve("out").toString(), sdc.toString(), "--model",
                bundle.toString(), "--look", "vivid", "-q");
        CliTest.assertOneLineError(batch, 2);
        assertFalse(Files.exists(dir.resolve("out").resolve("a.png")));
    }

    @Test
    void evalRefusesALookTheBundleLacksBeforeAnyImage() {
        CliTest.Result r = CliTest.sdc("eval", "testdata/eval/ref.png", "--out", dir.resolve("report").toString(),
                "--model", CliTest.TEST_BUNDLE.toString(), "--codecs", "none", "--look", "sharp");
        CliTest.assertOneLineError(r, 2);
        assertTrue(r.err().contains("no look 'sharp' in bundle 'test' (it has: faithful)"), r.err());
        assertFalse(Files.exists(dir.resolve("report").resolve("results.csv")));
    }

    @Test
    void evalDecodesEachFileWithEveryLookGiven() throws IOException {
        Path report = dir.resolve("report");
        Path bundle = bundle();
        CliTest.Result r = CliTest.sdc("eval", "testdata/eval/ref.png", "--out", report.toString(), "--model",
                bundle.toString(), "--codecs", "none", "--colors", "16", "--look", "faithful,sharp", "--sheets", "1");
        assertEquals(0, r.code(), r.err());
        java.util.List<String> csv = Files.readAllLines(report.resolve("results.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
        String[] faithful = csv.get(1).split(",", -1);
        String[] sharp = csv.get(2).split(",", -1);
        assertEquals("sdc", faithful[1]);
        assertEquals("sdc-sharp", sharp[1]);
        assertEquals(faithful[3], sharp[3], "one file, so the same bytes");
        assertTrue(csv.get(2).contains("decode(defaults, look=sharp); bundle=test"), csv.get(2));
        assertFalse(faithful[5].equals(sharp[5]), "two decoders, two PSNRs: " + csv);
        String summary = Files.readString(report.resolve("summary.md"));
        assertTrue(summary.contains("| sdc-sharp | colors=16 | 1 |"), summary);
        assertTrue(summary.contains("(looks faithful, sharp)"), summary);
        CliTest.Result twice = CliTest.sdc("eval", "testdata/eval/ref.png", "--out", dir.resolve("r2").toString(),
                "--model", bundle.toString(), "--codecs", "none", "--look", "sharp,sharp");
        CliTest.assertOneLineError(twice, 2);
        assertTrue(twice.err().contains("--look: sharp is given twice"), twice.err());
    }

    @Test
    void infoNamesTheLooksOfTheBundleThatMadeTheFile() {
        Path bundle = bundle();
        Path sdc = encoded(bundle);
        CliTest.Result withLooks = CliTest.sdc("info", sdc.toString(), "--model", bundle.toString());
        assertEquals(0, withLooks.code(), withLooks.err());
        assertTrue(withLooks.out().contains("\nlooks:           faithful, sharp\n"), withLooks.out());
        CliTest.Result plain = CliTest.sdc("info", sdc.toString(), "--model", CliTest.TEST_BUNDLE.toString());
        assertTrue(plain.out().contains("\nlooks:           faithful\n"), plain.out());
        // without --model: the built-in bundle did not make this file, so info prints what it always printed
        CliTest.Result bare = CliTest.sdc("info", sdc.toString());
        assertEquals(0, bare.code(), bare.err());
        assertFalse(bare.out().contains("looks:"), bare.out());
        assertEquals(plain.out().replace("looks:           faithful\n", ""), bare.out());
        CliTest.Result other = CliTest.sdc("info", sdc.toString(), "--model", "models/tiny");
        assertEquals(0, other.code(), other.err());
        assertTrue(other.out().contains("looks:           unknown (bundle models/tiny is 'tiny'"), other.out());
        CliTest.assertOneLineError(CliTest.sdc("info", sdc.toString(), "--model", dir.resolve("none").toString()), 4);
    }

    @Test
    void helpMentionsTheOptions() {
        assertTrue(CliTest.sdc("decode", "--help").out().contains("--look"));
        assertTrue(CliTest.sdc("info", "--help").out().contains("--model"));
    }
}
