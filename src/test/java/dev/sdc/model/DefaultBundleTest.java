package dev.sdc.model;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The embedded default bundle (models/tiny, copied onto the class path by the build). */
class DefaultBundleTest {
    @TempDir
    Path home;
    private String savedHome;

    @BeforeEach
    void isolateCache() {
        // cacheRoot() falls back to ~/.cache/sdc; point "~" at a temp folder unless the environment overrides it.
        assumeTrue(System.getenv("SDC_CACHE_DIR") == null && System.getenv("SDC_MODEL") == null,
                "SDC_CACHE_DIR/SDC_MODEL set: the test would touch the user's cache");
        savedHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
    }

    @AfterEach
    void restore() {
        if (savedHome != null) {
            System.setProperty("user.home", savedHome);
        }
    }

    @Test
    void extractsOnceAndHealsADamagedCache() throws Exception {
        Bundle first = DefaultBundle.load(null);
        assertEquals("tiny", first.name());
        assertTrue(first.dir().startsWith(home), first.dir().toString());
        Path decoder = first.dir().resolve("decoder.pt");
        byte[] good = Files.readAllBytes(decoder);

        Files.write(decoder, new byte[] {1, 2, 3});
        Bundle healed = DefaultBundle.load(null);
        assertArrayEquals(first.fingerprint(), healed.fingerprint());
        assertArrayEquals(good, Files.readAllBytes(healed.dir().resolve("decoder.pt")));
    }

    @Test
    void anExplicitBundleIsNeverTouched() throws Exception {
        Path copy = home.resolve("mine");
        Files.createDirectories(copy);
        for (String f : new String[] {"bundle.json", "encoder.pt", "decoder.pt", "unet.pt", "context.bin"}) {
            Files.copy(Path.of("testdata/bundles/test").resolve(f), copy.resolve(f));
        }
        Files.write(copy.resolve("decoder.pt"), new byte[] {1, 2, 3});
        ModelException e = assertThrows(ModelException.class, () -> DefaultBundle.load(copy));
        assertTrue(e.getMessage().contains("decoder.pt"), e.getMessage());
        assertEquals(3, Files.size(copy.resolve("decoder.pt")));
    }
}
