package dev.sdc.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Finds the bundle to use when none is named: {@code $SDC_MODEL} if set, else the default bundle embedded in
 * the jar (copied from {@code models/tiny} at build time), extracted once into
 * {@code $SDC_CACHE_DIR/bundles/default-<hash>/} because TorchScript loads from files.
 */
public final class DefaultBundle {
    /** Class-path folder the build copies the default bundle into (see pom.xml, property sdc.default.bundle). */
    static final String RESOURCE_DIR = "/sdc-bundle/default/";

    private DefaultBundle() {
    }

    /** The folder of the bundle to load: explicit if given, else $SDC_MODEL, else the embedded default. */
    public static Path resolve(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        String env = System.getenv("SDC_MODEL");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return extractEmbedded();
    }

    /**
     * Loads the bundle {@link #resolve} names. A damaged copy of the embedded default in the cache (a file
     * edited or truncated there) fails its sha256 check; it is then extracted afresh, once, rather than
     * leaving the user with a checksum error about a folder they never made.
     */
    public static Bundle load(Path explicit) {
        Path dir = resolve(explicit);
        boolean embedded = explicit == null && (System.getenv("SDC_MODEL") == null || System.getenv("SDC_MODEL").isBlank());
        try {
            return Bundle.load(dir);
        } catch (ModelException damaged) {
            if (!embedded) {
                throw damaged;
            }
            try {
                deleteTree(dir);
            } catch (IOException e) {
                throw new ModelException(damaged.getMessage() + " (and the cached copy " + dir
                        + " could not be removed: " + e.getMessage() + ")");
            }
            return Bundle.load(extractEmbedded());
        }
    }

    /** sdc's writable cache root: $SDC_CACHE_DIR, else ~/.cache/sdc. */
    public static Path cacheRoot() {
        String env = System.getenv("SDC_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "sdc");
    }

    private static Path extractEmbedded() {
        byte[] manifest = readResource("bundle.json");
        List<String> files = listFiles(manifest);
        String hash = sha256(manifest).substring(0, 16);
        Path target = cacheRoot().resolve("bundles").resolve("default-" + hash);
        if (Files.isRegularFile(target.resolve("bundle.json"))) {
            return target; // Bundle.load re-verifies every sha256, so a damaged cache is caught there.
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempDirectory(target.getParent(), ".extract-");
            try {
                for (String name : files) {
                    try (InputStream in = open(name)) {
                        Files.copy(in, tmp.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } catch (IOException e) {
                deleteTree(tmp);
                throw e;
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // Another process extracted the same bundle first; theirs is identical.
                if (!Files.isRegularFile(target.resolve("bundle.json"))) {
                    throw raced;
                }
                deleteTree(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new ModelException("cannot extract the default bundle to " + target + ": " + e.getMessage()
                    + " (set SDC_CACHE_DIR to a writable folder, or pass --model)");
        }
    }

    /** The files to extract: bundle.json plus every file its "files" map lists. */
    private static List<String> listFiles(byte[] manifest) {
        List<String> names = new ArrayList<>();
        names.add("bundle.json");
        try {
            JsonObject files = JsonParser.parseString(new String(manifest, StandardCharsets.UTF_8))
                    .getAsJsonObject().getAsJsonObject("files");
            for (String name : files.keySet()) {
                if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                    throw new ModelException("embedded bundle lists a bad file name: " + name);
                }
                names.add(name);
            }
        } catch (RuntimeException e) {
            if (e instanceof ModelException m) {
                throw m;
            }
            throw new ModelException("embedded default bundle has a malformed bundle.json: " + e.getMessage());
        }
        return names;
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = DefaultBundle.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new IOException("resource " + RESOURCE_DIR + name + " missing from the jar");
        }
        return in;
    }

    private static byte[] readResource(String name) {
        try (InputStream in = DefaultBundle.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new ModelException("this build has no embedded default bundle; pass --model DIR or set SDC_MODEL");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelException("cannot read the embedded default bundle: " + e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
