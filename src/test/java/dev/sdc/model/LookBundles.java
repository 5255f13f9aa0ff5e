package dev.sdc.model;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Copies of the test bundle with a second decoder as look "sharp" (issue 14), for the tests of every package. */
public final class LookBundles {
    /** A decoder of the test bundle's latent space with an unsharp mask instead of a blur (scripts/make-test-look.py). */
    public static final Path SHARP_DECODER = Paths.get("testdata", "looks", "decoder-sharp.pt");
    /** The test bundle's own decoder.pt: as "sharp" it must render exactly like faithful. */
    public static final Path FAITHFUL_DECODER = TestBundles.TEST.resolve("decoder.pt");

    private LookBundles() {
    }

    /** The test bundle in {@code dir} (created) with {@code decoder} as {@code decoder-sharp.pt}, look "sharp". */
    public static Path withSharpLook(Path dir, Path decoder) {
        TestBundles.copy(dir);
        try {
            Files.copy(decoder, dir.resolve("decoder-sharp.pt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sha = sha256(dir.resolve("decoder-sharp.pt"));
        TestBundles.editManifest(dir, j -> {
            j.getAsJsonObject("files").addProperty("decoder-sharp.pt", sha);
            JsonObject sharp = new JsonObject();
            sharp.addProperty("decoder", "decoder-sharp.pt");
            JsonObject looks = new JsonObject();
            looks.add("sharp", sharp);
            j.add("looks", looks);
        });
        return dir;
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
