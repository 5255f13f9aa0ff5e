package dev.sdc.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A model bundle folder whose manifest is valid and whose files all match their sha256 (docs/MODELS.md).
 * Loading one touches no native code; {@link ModelRuntime} loads the networks.
 */
public final class Bundle {
    /** The look every bundle has: its {@code decoder.pt}. */
    public static final String FAITHFUL_LOOK = BundleManifest.FAITHFUL_LOOK;
    /** The adversarially fine-tuned look of the {@code base} bundle (docs/MODELS.md); other bundles may lack it. */
    public static final String SHARP_LOOK = "sharp";
    /** The looks shell completion offers: the bundle a command will use is not known when it completes. */
    public static final List<String> COMMON_LOOKS = List.of(FAITHFUL_LOOK, SHARP_LOOK);

    /**
     * {@link #COMMON_LOOKS} as an Iterable class: what shell completion offers after {@code --look} (decode's and
     * eval's; a bundle may name others), public for picocli's reflection.
     */
    public static final class CommonLooks implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return COMMON_LOOKS.iterator();
        }
    }

    private final Path dir;
    private final BundleManifest manifest;
    private final byte[] fingerprint;
    /** {@code denoise_palette} by palette size; empty when the bundle has none (then {@code denoise} serves all). */
    private final TreeMap<Integer, BundleManifest.DenoiseSpec> denoiseBySize = new TreeMap<>();

    private Bundle(Path dir, BundleManifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
        this.fingerprint = computeFingerprint(manifest);
        if (manifest.denoisePalette != null) {
            manifest.denoisePalette.forEach((k, v) -> denoiseBySize.put(Integer.parseInt(k), v));
        }
    }

    /**
     * Reads and checks the bundle in {@code dir}: manifest fields, presence and sha256 of every listed file,
     * and the size of the context tensor.
     *
     * @throws ModelException with a one-line message if anything is missing or wrong
     */
    public static Bundle load(Path dir) {
        String label = dir.toString();
        if (!Files.isDirectory(dir)) {
            throw new ModelException("bundle " + label + ": no such folder");
        }
        Path manifestFile = dir.resolve("bundle.json");
        String json;
        try {
            json = Files.readString(manifestFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelException("bundle " + label + ": bundle.json is missing");
        } catch (IOException e) {
            throw new ModelException("bundle " + label + ": cannot read bundle.json: " + e.getMessage());
        }
        BundleManifest manifest = BundleManifest.parse(json, label);
        for (Map.Entry<String, String> e : manifest.files.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (!Files.isRegularFile(file)) {
                throw new ModelException("bundle " + label + ": " + e.getKey() + " is missing");
            }
            String actual = sha256Hex(file, label);
            if (!actual.equals(e.getValue())) {
                throw new ModelException("bundle " + label + ": " + e.getKey() + " does not match its sha256 in "
                        + "bundle.json (expected " + e.getValue() + ", got " + actual + ")");
            }
        }
        if (!manifest.files.containsKey(BundleManifest.UNET) && Files.exists(dir.resolve(BundleManifest.UNET))) {
            throw new ModelException("bundle " + label + ": " + BundleManifest.UNET
                    + " exists but is not listed in files; list it with its sha256 or remove it");
        }
        if (manifest.context != null) {
            long expected = 4L * manifest.context.shape.stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
            long size;
            try {
                size = Files.size(dir.resolve(manifest.context.file));
            } catch (IOException e) {
                throw new ModelException("bundle " + label + ": cannot read " + manifest.context.file + ": " + e.getMessage());
            }
            if (size != expected) {
                throw new ModelException("bundle " + label + ": " + manifest.context.file + " has " + size
                        + " bytes, but context.shape " + manifest.context.shape + " needs " + expected);
            }
        }
        return new Bundle(dir, manifest);
    }

    private static String sha256Hex(Path file, String label) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ModelException("bundle " + label + ": cannot read " + file.getFileName() + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM lacks SHA-256", e);
        }
    }

    /** The exact text hashed for the fingerprint (docs/MODELS.md "Bundle fingerprint"). */
    static String fingerprintText(BundleManifest m) {
        StringBuilder sb = new StringBuilder();
        sb.append(m.name).append('\n');
        List<String> names = new ArrayList<>();
        for (String f : new String[] {BundleManifest.DECODER, BundleManifest.UNET}) {
            if (m.files.containsKey(f)) {
                names.add(f);
            }
        }
        if (m.context != null) {
            names.add(m.context.file);
        }
        if (m.scalar != null) {
            names.add(m.scalar.prior); // the prior's tables decide how mode-1 files decode
        }
        Collections.sort(names);
        for (String f : names) {
            sb.append(f).append(':').append(m.files.get(f)).append('\n');
        }
        sb.append("pixel_range:").append(hex(m.pixelRange.get(0))).append(',').append(hex(m.pixelRange.get(1))).append('\n');
        BundleManifest.LatentSpec l = m.latent;
        sb.append("latent:").append(l.channels).append(',').append(l.factor).append(',').append(l.alignment).append(',')
                .append(hex(l.scale)).append(',').append(hex(l.quantMin)).append(',').append(hex(l.quantMax)).append('\n');
        BundleManifest.ScheduleSpec s = m.schedule;
        sb.append("schedule:").append(s.type).append(',').append(hex(s.betaStart)).append(',').append(hex(s.betaEnd))
                .append(',').append(s.trainSteps).append(',').append(s.prediction).append('\n');
        if (m.context != null) {
            sb.append("context:").append(m.context.shape.get(0)).append(',').append(m.context.shape.get(1)).append(',')
                    .append(m.context.shape.get(2)).append('\n');
        }
        return sb.toString();
    }

    private static String hex(double v) {
        return String.format("%016x", Double.doubleToLongBits(v));
    }

    private static byte[] computeFingerprint(BundleManifest m) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(fingerprintText(m).getBytes(StandardCharsets.UTF_8));
            byte[] fp = new byte[8];
            System.arraycopy(digest, 0, fp, 0, 8);
            return fp;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM lacks SHA-256", e);
        }
    }

    /** 8-byte bundle fingerprint written into every .sdc (a copy). */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** The fingerprint as 16 lowercase hex digits, for messages. */
    public String fingerprintHex() {
        return HexFormat.of().formatHex(fingerprint);
    }

    public String name() {
        return manifest.name;
    }

    public String description() {
        return manifest.description == null ? "" : manifest.description;
    }

    public Path dir() {
        return dir;
    }

    public Path encoderFile() {
        return dir.resolve(BundleManifest.ENCODER);
    }

    public Path decoderFile() {
        return dir.resolve(BundleManifest.DECODER);
    }

    /** The UNet file, present iff the manifest lists {@code unet.pt}. */
    public Optional<Path> unetFile() {
        return hasUnet() ? Optional.of(dir.resolve(BundleManifest.UNET)) : Optional.empty();
    }

    public boolean hasUnet() {
        return manifest.files.containsKey(BundleManifest.UNET);
    }

    /** Pixel value that 8-bit 0 maps to. */
    public double pixelLow() {
        return manifest.pixelRange.get(0);
    }

    /** Pixel value that 8-bit 255 maps to. */
    public double pixelHigh() {
        return manifest.pixelRange.get(1);
    }

    /** Per-pixel memory estimates for tiling: bundle.json's {@code memory}, defaults where absent. */
    public MemoryEstimates memoryEstimates() {
        return manifest.memoryEstimates();
    }

    /** The memory budget used where none is asked for: bundle.json's {@code memory.default_budget_mb}, else 2048 MB. */
    public MemoryBudget defaultBudget() {
        return manifest.defaultBudget();
    }

    public int channels() {
        return manifest.latent.channels;
    }

    public int factor() {
        return manifest.latent.factor;
    }

    public int alignment() {
        return manifest.latent.alignment;
    }

    /** The alignment in latent pixels: latent tiles start and end on multiples of it. */
    public int latentAlignment() {
        return alignment() / factor();
    }

    /** Refuses a latent whose channel count is not this bundle's (a network would fail on it less clearly). */
    void requireChannels(Latent latent) {
        if (latent.channels() != channels()) {
            throw new ModelException("latent has " + latent.channels() + " channels, bundle " + name()
                    + " expects " + channels());
        }
    }

    public double scale() {
        return manifest.latent.scale;
    }

    public double quantMin() {
        return manifest.latent.quantMin;
    }

    public double quantMax() {
        return manifest.latent.quantMax;
    }

    public String scheduleType() {
        return manifest.schedule.type;
    }

    public double betaStart() {
        return manifest.schedule.betaStart;
    }

    public double betaEnd() {
        return manifest.schedule.betaEnd;
    }

    public int trainSteps() {
        return manifest.schedule.trainSteps;
    }

    /** The noise schedule this bundle's UNet was trained on. */
    public DdimSchedule schedule() {
        return DdimSchedule.of(scheduleType(), betaStart(), betaEnd(), trainSteps());
    }

    public float defaultStrength() {
        return (float) (double) manifest.denoise.strength;
    }

    public int defaultSteps() {
        return manifest.denoise.steps;
    }

    /** Denoise default for a palette of {@code colors} entries: see {@link #denoiseFor(int)}. */
    public float defaultStrength(int colors) {
        return (float) (double) denoiseFor(colors).strength;
    }

    public int defaultSteps(int colors) {
        return denoiseFor(colors).steps;
    }

    /**
     * The {@code denoise_palette} entry with the largest palette size at most {@code colors} (the smallest
     * entry if all are larger); {@code denoise} when the bundle has no per-palette table.
     */
    private BundleManifest.DenoiseSpec denoiseFor(int colors) {
        if (denoiseBySize.isEmpty()) {
            return manifest.denoise;
        }
        Map.Entry<Integer, BundleManifest.DenoiseSpec> e = denoiseBySize.floorEntry(colors);
        return (e != null ? e : denoiseBySize.firstEntry()).getValue();
    }

    /** The looks this bundle offers, "faithful" (decoder.pt) first, then those of {@code looks} by name. */
    public List<String> looks() {
        List<String> out = new ArrayList<>(List.of(BundleManifest.FAITHFUL_LOOK));
        if (manifest.looks != null) {
            manifest.looks.keySet().stream().sorted().forEach(out::add);
        }
        return out;
    }

    /** Whether {@code look} is one of {@link #looks()}. */
    public boolean hasLook(String look) {
        return lookDecoder(look).isPresent();
    }

    /** The decoder file of a look, or empty if the bundle has no such look. */
    public Optional<Path> lookDecoder(String look) {
        if (look == null) {
            return Optional.empty();
        }
        if (BundleManifest.FAITHFUL_LOOK.equals(look)) {
            return Optional.of(dir.resolve(BundleManifest.DECODER));
        }
        if (manifest.looks == null || !manifest.looks.containsKey(look)) {
            return Optional.empty();
        }
        return Optional.of(dir.resolve(manifest.looks.get(look).decoder));
    }

    /** The scalar-mode prior tables file (docs/SCALAR.md), if the bundle supports quantizer mode 1. */
    public Optional<Path> scalarPriorFile() {
        return manifest.scalar == null ? Optional.empty() : Optional.of(dir.resolve(manifest.scalar.prior));
    }

    /** The rate level {@code --mode scalar} uses by default; meaningful only with {@link #scalarPriorFile()}. */
    public int defaultScalarLevel() {
        return manifest.scalar == null ? 0 : manifest.scalar.defaultLevel;
    }

    /** The context tensor file, if the bundle has one. */
    public Optional<Path> contextFile() {
        return manifest.context == null ? Optional.empty() : Optional.of(dir.resolve(manifest.context.file));
    }

    /** Shape {@code [1, L, D]} of the context tensor, or an empty array without context. */
    public long[] contextShape() {
        return manifest.context == null ? new long[0]
                : manifest.context.shape.stream().mapToLong(Long::longValue).toArray();
    }

    /** Reads the context tensor (raw little-endian float32). */
    public float[] readContext() {
        Path file = contextFile().orElseThrow(() -> new ModelException("bundle " + dir + " has no context"));
        try {
            ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[buf.remaining() / 4];
            buf.asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new ModelException("bundle " + dir + ": cannot read " + file.getFileName() + ": " + e.getMessage());
        }
    }

    /** The validated manifest (package-private: its fields are mutable, the accessors above are not). */
    BundleManifest manifest() {
        return manifest;
    }
}
