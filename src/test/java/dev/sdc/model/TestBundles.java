package dev.sdc.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The committed test bundle (scripts/make-test-bundle.py) and helpers to make broken copies of it. */
final class TestBundles {
    static final Path TEST = Paths.get("testdata", "bundles", "test");

    private TestBundles() {
    }

    /** Copies the test bundle into {@code dir} (created) and returns it. */
    static Path copy(Path dir) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(TEST)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites {@code dir/bundle.json} after letting {@code edit} change its JSON tree. */
    static void editManifest(Path dir, Consumer<JsonObject> edit) {
        try {
            Path file = dir.resolve("bundle.json");
            JsonObject json = new Gson().fromJson(Files.readString(file, StandardCharsets.UTF_8), JsonObject.class);
            edit.accept(json);
            Gson pretty = new GsonBuilder().setPrettyPrinting().create();
            Files.writeString(file, pretty.toJson(json), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
