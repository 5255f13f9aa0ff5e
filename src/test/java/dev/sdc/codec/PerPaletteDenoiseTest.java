package dev.sdc.codec;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.image.RgbImage;
import dev.sdc.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** bundle.json {@code denoise_palette}: encode writes the default of the file's palette size (issue 14). */
class PerPaletteDenoiseTest {
    @TempDir
    Path tmp;

    @Test
    void encodeWritesThePaletteSizesDefault() throws IOException {
        Path dir = tmp.resolve("b");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(Path.of("testdata/bundles/test"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dir.resolve(f.getFileName().toString()));
            }
        }
        Path manifest = dir.resolve("bundle.json");
        JsonObject j = JsonParser.parseString(Files.readString(manifest, StandardCharsets.UTF_8)).getAsJsonObject();
        JsonObject table = new JsonObject();
        table.add("16", denoise(0.08, 3));
        table.add("256", denoise(0.01, 1));
        j.add("denoise_palette", table);
        Files.writeString(manifest, j.toString(), StandardCharsets.UTF_8);

        RgbImage image = RgbImage.blank(64, 48);
        try (BundleCodec codec = new BundleCodec(Bundle.load(dir))) {
            SdcHeader h16 = SdcReader.read(codec.encode(image, new EncodeOptions(16, true, null, null))).header();
            assertEquals(0.08f, h16.strength());
            assertEquals(3, h16.steps());
            SdcHeader h64 = SdcReader.read(codec.encode(image, new EncodeOptions(64, true, null, null))).header();
            assertEquals(0.08f, h64.strength(), "64 colours: the largest entry at most 64 is 16's");
            SdcHeader h256 = SdcReader.read(codec.encode(image, new EncodeOptions(256, true, null, null))).header();
            assertEquals(0.01f, h256.strength());
            assertEquals(1, h256.steps());
            SdcHeader given = SdcReader.read(codec.encode(image, new EncodeOptions(16, true, 0.2f, 2))).header();
            assertEquals(0.2f, given.strength(), "explicit options still win");
            assertEquals(2, given.steps());
        }
    }

    private static JsonObject denoise(double strength, int steps) {
        JsonObject o = new JsonObject();
        o.addProperty("strength", strength);
        o.addProperty("steps", steps);
        return o;
    }
}
