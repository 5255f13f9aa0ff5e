package dev.sdc.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.*;

/** The optional {@code scalar} section of bundle.json (docs/MODELS.md) and the prior in the fingerprint. */
class ScalarBundleTest {
    static final Path SCALAR = Paths.get("testdata", "bundles", "test-scalar");

    @TempDir
    Path dir;

    @Test
    void scalarBundleExposesItsPriorAndFingerprintsIt() {
        Bundle b = Bundle.load(SCALAR);
        assertEquals(SCALAR.resolve("prior.bin"), b.scalarPriorFile().orElseThrow());
        assertEquals(1, b.defaultScalarLevel());
        String text = Bundle.fingerprintText(b.manifest());
        assertTrue(text.contains("\nprior.bin:" + b.manifest().files.get("prior.bin") + "\n"), text);
        assertTrue(text.indexOf("decoder.pt:") < text.indexOf("prior.bin:")
                && text.indexOf("prior.bin:") < text.indexOf("unet.pt:"), "sorted by name: " + text);
        Bundle plain = Bundle.load(TestBundles.TEST);
        assertTrue(plain.scalarPriorFile().isEmpty());
        assertFalse(Bundle.fingerprintText(plain.manifest()).contains("prior"));
        // same networks, same everything but the prior: the fingerprints still differ (name and prior line)
        assertNotEquals(plain.fingerprintHex(), b.fingerprintHex());
    }

    private Path copyScalar() throws IOException {
        Path d = Files.createDirectories(dir.resolve("b"));
        try (var files = Files.list(SCALAR)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, d.resolve(f.getFileName()));
            }
        }
        return d;
    }

    @Test
    void badScalarSectionsAreRefusedWithTheField() throws IOException {
        Path d = copyScalar();
        TestBundles.editManifest(d, j -> j.getAsJsonObject("scalar").addProperty("prior", "missing.bin"));
        ModelException e = assertThrows(ModelException.class, () -> Bundle.load(d));
        assertTrue(e.getMessage().contains("scalar.prior \"missing.bin\" must be a prior file listed in files"), e.getMessage());
        TestBundles.editManifest(d, j -> {
            j.getAsJsonObject("scalar").addProperty("prior", "prior.bin");
            j.getAsJsonObject("scalar").addProperty("default_level", 64);
        });
        e = assertThrows(ModelException.class, () -> Bundle.load(d));
        assertTrue(e.getMessage().contains("scalar.default_level must be 0..63"), e.getMessage());
        TestBundles.editManifest(d, j -> j.getAsJsonObject("scalar").remove("default_level"));
        e = assertThrows(ModelException.class, () -> Bundle.load(d));
        assertTrue(e.getMessage().contains("scalar.default_level is missing"), e.getMessage());
    }

    @Test
    void aChangedPriorFailsItsHash() throws IOException {
        Path d = copyScalar();
        byte[] prior = Files.readAllBytes(d.resolve("prior.bin"));
        prior[20] ^= 1;
        Files.write(d.resolve("prior.bin"), prior);
        ModelException e = assertThrows(ModelException.class, () -> Bundle.load(d));
        assertTrue(e.getMessage().contains("prior.bin does not match its sha256"), e.getMessage());
    }
}
