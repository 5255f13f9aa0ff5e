package dev.sdc.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleTest {
    @TempDir
    Path tmp;

    @Test
    void loadsCommittedTestBundle() {
        Bundle b = Bundle.load(TestBundles.TEST);
        assertEquals("test", b.name());
        assertEquals(-1.0, b.pixelLow());
        assertEquals(1.0, b.pixelHigh());
        assertEquals(4, b.channels());
        assertEquals(8, b.factor());
        assertEquals(8, b.alignment());
        assertEquals(0.5, b.scale());
        assertEquals(-2.0, b.quantMin());
        assertEquals(2.0, b.quantMax());
        assertEquals("scaled_linear", b.scheduleType());
        assertEquals(0.00085, b.betaStart());
        assertEquals(0.012, b.betaEnd());
        assertEquals(1000, b.trainSteps());
        assertEquals(0.04f, b.defaultStrength());
        assertEquals(2, b.defaultSteps());
        assertTrue(b.hasUnet());
        assertArrayEquals(new long[] {1, 2, 8}, b.contextShape());
        float[] ctx = b.readContext();
        assertEquals(16, ctx.length);
        assertEquals(-0.5f, ctx[0]);
        assertEquals(15 / 16f - 0.5f, ctx[15]);
    }

    @Test
    void fingerprintMatchesIndependentComputation() {
        // Computed with /usr/bin/python3 from testdata/bundles/test/bundle.json following the definition in
        // docs/MODELS.md (text lines, reals as struct.pack('>d', v).hex(), hashlib.sha256(...)[:8]).
        Bundle b = Bundle.load(TestBundles.TEST);
        assertEquals("46e49f7cbd21dbf6", b.fingerprintHex());
        assertEquals(8, b.fingerprint().length);
        assertEquals(b.fingerprintHex(), Bundle.load(TestBundles.TEST).fingerprintHex());
    }

    @Test
    void fingerprintChangesWithNameAndDecoderParameters() {
        String base = Bundle.load(TestBundles.TEST).fingerprintHex();
        Path renamed = TestBundles.copy(tmp.resolve("renamed"));
        TestBundles.editManifest(renamed, j -> j.addProperty("name", "test2"));
        assertFalse(base.equals(Bundle.load(renamed).fingerprintHex()));

        Path rescaled = TestBundles.copy(tmp.resolve("rescaled"));
        TestBundles.editManifest(rescaled, j -> j.getAsJsonObject("latent").addProperty("scale", 0.25));
        assertFalse(base.equals(Bundle.load(rescaled).fingerprintHex()));

        // The encoder is deliberately not part of the fingerprint; neither is the description.
        Path described = TestBundles.copy(tmp.resolve("described"));
        TestBundles.editManifest(described, j -> j.addProperty("description", "other text"));
        assertEquals(base, Bundle.load(described).fingerprintHex());
    }

    static Stream<Arguments> badManifests() {
        return Stream.of(
                bad("latent.factor must be a power of two 1..64, got 6", j -> latent(j).addProperty("factor", 6)),
                bad("latent.factor must be a power of two 1..64, got 128", j -> latent(j).addProperty("factor", 128)),
                bad("latent.alignment must be a multiple of latent.factor (8) and at most 512, got 12",
                        j -> latent(j).addProperty("alignment", 12)),
                bad("latent.channels must be 1..16, got 0", j -> latent(j).addProperty("channels", 0)),
                bad("latent.channels is missing", j -> latent(j).remove("channels")),
                bad("latent.scale must be finite and > 0, got -1.0", j -> latent(j).addProperty("scale", -1)),
                bad("latent.quant_min < latent.quant_max", j -> latent(j).addProperty("quant_min", 2)),
                bad("pixel_range must be finite with lo < hi", j -> {
                    JsonArray a = new JsonArray();
                    a.add(1.0);
                    a.add(-1.0);
                    j.add("pixel_range", a);
                }),
                bad("format must be \"sdc-bundle\", got \"other\"", j -> j.addProperty("format", "other")),
                bad("version must be 1, got 2", j -> j.addProperty("version", 2)),
                bad("name must be 1..32 characters", j -> j.addProperty("name", "has space")),
                bad("schedule.type must be", j -> schedule(j).addProperty("type", "cosine")),
                bad("schedule.prediction must be \"epsilon\"", j -> schedule(j).addProperty("prediction", "v_prediction")),
                bad("schedule betas must satisfy", j -> schedule(j).addProperty("beta_end", 1.5)),
                bad("schedule.train_steps must be", j -> schedule(j).addProperty("train_steps", 1)),
                bad("denoise.strength must be 0..1, got 1.5", j -> j.getAsJsonObject("denoise").addProperty("strength", 1.5)),
                bad("denoise.steps must be 0..1000, got 1001", j -> j.getAsJsonObject("denoise").addProperty("steps", 1001)),
                bad("context.shape must have rank 3", j -> {
                    JsonArray a = new JsonArray();
                    a.add(2);
                    a.add(8);
                    j.getAsJsonObject("context").add("shape", a);
                }),
                bad("context.bin has 64 bytes, but context.shape [1, 2, 4] needs 32", j -> {
                    JsonArray a = new JsonArray();
                    a.add(1);
                    a.add(2);
                    a.add(4);
                    j.getAsJsonObject("context").add("shape", a);
                }),
                bad("needs a context", j -> j.remove("context")),
                bad("files must list decoder.pt", j -> j.getAsJsonObject("files").remove("decoder.pt")),
                bad("files.encoder.pt must be 64 lowercase hex digits", j -> j.getAsJsonObject("files").addProperty("encoder.pt", "abc")),
                bad("is not a plain file name", j -> j.getAsJsonObject("files").addProperty("../x.pt", "0".repeat(64))),
                bad("unet.pt exists but is not listed", j -> {
                    j.getAsJsonObject("files").remove("unet.pt");
                }),
                bad("decoder.pt does not match its sha256", j -> j.getAsJsonObject("files").addProperty("decoder.pt", "0".repeat(64))),
                bad("latent is missing", j -> j.remove("latent")),
                bad("denoise_palette keys must be palette sizes 1..256, got \"300\"",
                        j -> j.add("denoise_palette", one("300", denoise(0.1, 1)))),
                bad("denoise_palette keys must be palette sizes 1..256, got \"many\"",
                        j -> j.add("denoise_palette", one("many", denoise(0.1, 1)))),
                bad("denoise_palette.16.strength must be 0..1, got 2.0",
                        j -> j.add("denoise_palette", one("16", denoise(2, 1)))),
                bad("denoise_palette.16.steps must be 0..1000, got -1",
                        j -> j.add("denoise_palette", one("16", denoise(0.1, -1)))),
                bad("looks.sharp.decoder \"missing.pt\" must be a second decoder listed in files",
                        j -> j.add("looks", one("sharp", look("missing.pt")))),
                bad("looks.sharp.decoder \"unet.pt\" must be a second decoder",
                        j -> j.add("looks", one("sharp", look("unet.pt")))),
                bad("looks: \"faithful\" must be", j -> j.add("looks", one("faithful", look("decoder.pt")))),
                bad("looks.sharp.decoder is missing", j -> j.add("looks", one("sharp", new JsonObject()))),
                bad("bundle.json is not valid", j -> latent(j).addProperty("channels", "four")));
    }

    private static JsonObject one(String key, JsonObject value) {
        JsonObject o = new JsonObject();
        o.add(key, value);
        return o;
    }

    private static JsonObject denoise(double strength, int steps) {
        JsonObject o = new JsonObject();
        o.addProperty("strength", strength);
        o.addProperty("steps", steps);
        return o;
    }

    private static JsonObject look(String decoder) {
        JsonObject o = new JsonObject();
        o.addProperty("decoder", decoder);
        return o;
    }

    /** The test bundle plus a per-palette denoise table and a second decoder as look "sharp" (issue 14). */
    static Path bundleWithLooks(Path dir) throws IOException {
        TestBundles.copy(dir);
        Files.copy(dir.resolve("decoder.pt"), dir.resolve("decoder-sharp.pt"));
        TestBundles.editManifest(dir, j -> {
            JsonObject dp = one("16", denoise(0.08, 2));
            dp.add("64", denoise(0.04, 1));
            dp.add("256", denoise(0.01, 1));
            j.add("denoise_palette", dp);
            j.getAsJsonObject("files").addProperty("decoder-sharp.pt",
                    j.getAsJsonObject("files").get("decoder.pt").getAsString());
            j.add("looks", one("sharp", look("decoder-sharp.pt")));
        });
        return dir;
    }

    @Test
    void perPaletteDenoiseDefaultsAndLooks() throws IOException {
        Bundle b = Bundle.load(bundleWithLooks(tmp.resolve("looks")));
        assertEquals(0.08f, b.defaultStrength(16));
        assertEquals(2, b.defaultSteps(16));
        assertEquals(0.08f, b.defaultStrength(8), "below every entry: the smallest palette's");
        assertEquals(0.04f, b.defaultStrength(100), "the largest entry at most the palette size");
        assertEquals(1, b.defaultSteps(100));
        assertEquals(0.01f, b.defaultStrength(256));
        assertEquals(java.util.List.of("faithful", "sharp"), b.looks());
        assertEquals(tmp.resolve("looks").resolve("decoder-sharp.pt"), b.lookDecoder("sharp").orElseThrow());
        assertEquals(tmp.resolve("looks").resolve("decoder.pt"), b.lookDecoder("faithful").orElseThrow());
        assertTrue(b.lookDecoder("other").isEmpty());
        // optional fields: the fingerprint stays, a bundle without them keeps its single default and one look
        Bundle plain = Bundle.load(TestBundles.TEST);
        assertEquals(plain.fingerprintHex(), b.fingerprintHex());
        assertEquals(plain.defaultStrength(), plain.defaultStrength(16));
        assertEquals(plain.defaultSteps(), plain.defaultSteps(256));
        assertEquals(java.util.List.of("faithful"), plain.looks());
    }

    private static Arguments bad(String expectedMessagePart, Consumer<JsonObject> edit) {
        return Arguments.of(expectedMessagePart, edit);
    }

    private static JsonObject latent(JsonObject j) {
        return j.getAsJsonObject("latent");
    }

    private static JsonObject schedule(JsonObject j) {
        return j.getAsJsonObject("schedule");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badManifests")
    void rejectsBadManifest(String expectedMessagePart, Consumer<JsonObject> edit) {
        Path dir = TestBundles.copy(tmp.resolve("b"));
        TestBundles.editManifest(dir, edit);
        ModelException e = assertThrows(ModelException.class, () -> Bundle.load(dir));
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
        assertTrue(e.getMessage().startsWith("bundle " + dir + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void rejectsTamperedFile() throws IOException {
        Path dir = TestBundles.copy(tmp.resolve("b"));
        byte[] ctx = Files.readAllBytes(dir.resolve("context.bin"));
        ctx[0] ^= 1;
        Files.write(dir.resolve("context.bin"), ctx);
        ModelException e = assertThrows(ModelException.class, () -> Bundle.load(dir));
        assertTrue(e.getMessage().contains("context.bin does not match its sha256"), e.getMessage());
    }

    @Test
    void rejectsMissingListedFile() throws IOException {
        Path dir = TestBundles.copy(tmp.resolve("b"));
        Files.delete(dir.resolve("encoder.pt"));
        ModelException e = assertThrows(ModelException.class, () -> Bundle.load(dir));
        assertEquals("bundle " + dir + ": encoder.pt is missing", e.getMessage());
    }

    @Test
    void rejectsMissingFolderManifestAndBadJson() throws IOException {
        Path none = tmp.resolve("nope");
        assertEquals("bundle " + none + ": no such folder",
                assertThrows(ModelException.class, () -> Bundle.load(none)).getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals("bundle " + empty + ": bundle.json is missing",
                assertThrows(ModelException.class, () -> Bundle.load(empty)).getMessage());

        Path broken = TestBundles.copy(tmp.resolve("broken"));
        Files.writeString(broken.resolve("bundle.json"), "{\"format\": \"sdc-bundle\",\n \"latent\": {", StandardCharsets.UTF_8);
        ModelException e = assertThrows(ModelException.class, () -> Bundle.load(broken));
        assertTrue(e.getMessage().startsWith("bundle " + broken + ": bundle.json is not valid"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        Files.writeString(broken.resolve("bundle.json"), "", StandardCharsets.UTF_8);
        assertEquals("bundle " + broken + ": bundle.json is empty",
                assertThrows(ModelException.class, () -> Bundle.load(broken)).getMessage());
    }

    @Test
    void corruptTorchScriptFailsWithModelException() throws IOException {
        Path dir = TestBundles.copy(tmp.resolve("b"));
        Files.writeString(dir.resolve("decoder.pt"), "not a zip", StandardCharsets.UTF_8);
        // sha256 of the 9 bytes "not a zip" (printf 'not a zip' | sha256sum), so the bundle passes its checks.
        TestBundles.editManifest(dir, j -> j.getAsJsonObject("files").addProperty("decoder.pt",
                "a3989126344744ef800dbc88bf7e744853f3f2eac75c9ab3301f4e845ef22078"));
        Bundle b = Bundle.load(dir);
        try (ModelRuntime rt = ModelRuntime.open(b)) {
            ModelException e = assertThrows(ModelException.class,
                    () -> rt.autoencoder().decode(new Latent(4, 1, 1, new float[4])));
            assertTrue(e.getMessage().startsWith("cannot load " + dir.resolve("decoder.pt")), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void failingForwardReportsTheTorchError() throws IOException {
        // A decoder.pt that is really the encoder: its first conv wants 3 channels and gets 4.
        Path dir = TestBundles.copy(tmp.resolve("b"));
        Files.copy(dir.resolve("encoder.pt"), dir.resolve("decoder.pt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        TestBundles.editManifest(dir, j -> j.getAsJsonObject("files").add("decoder.pt",
                j.getAsJsonObject("files").get("encoder.pt")));
        try (ModelRuntime rt = ModelRuntime.open(Bundle.load(dir))) {
            ModelException e = assertThrows(ModelException.class,
                    () -> rt.autoencoder().decode(new Latent(4, 1, 1, new float[4])));
            assertTrue(e.getMessage().startsWith("decoder.pt failed: RuntimeError: "), e.getMessage());
            assertTrue(e.getMessage().contains("channels"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void bundleWithoutUnetHasNoDenoiser() throws IOException {
        Path dir = TestBundles.copy(tmp.resolve("b"));
        Files.delete(dir.resolve("unet.pt"));
        TestBundles.editManifest(dir, j -> j.getAsJsonObject("files").remove("unet.pt"));
        Bundle b = Bundle.load(dir);
        assertFalse(b.hasUnet());
        try (ModelRuntime rt = ModelRuntime.open(b)) {
            assertTrue(rt.denoiser().isEmpty());
        }
    }
}
