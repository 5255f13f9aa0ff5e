package dev.sdc.model;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parsed and validated {@code bundle.json} of a model bundle (docs/MODELS.md). Field names mirror the
 * JSON; {@link #parse} checks every field against the table in docs/MODELS.md, so code that holds a
 * manifest can trust its values.
 */
public final class BundleManifest {
    public static final String FORMAT = "sdc-bundle";
    public static final int VERSION = 1;
    public static final String ENCODER = "encoder.pt";
    public static final String DECODER = "decoder.pt";
    public static final String UNET = "unet.pt";
    /** The look every bundle has: {@code decoder.pt}. */
    public static final String FAITHFUL_LOOK = "faithful";

    static final long MAX_CONTEXT_ELEMENTS = 64L * 1024 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** The {@code latent} object. */
    public static final class LatentSpec {
        public Integer channels;
        public Integer factor;
        public Integer alignment;
        public Double scale;
        @SerializedName("quant_min")
        public Double quantMin;
        @SerializedName("quant_max")
        public Double quantMax;
    }

    /** The {@code schedule} object. */
    public static final class ScheduleSpec {
        public String type;
        @SerializedName("beta_start")
        public Double betaStart;
        @SerializedName("beta_end")
        public Double betaEnd;
        @SerializedName("train_steps")
        public Integer trainSteps;
        public String prediction;
    }

    /** The {@code denoise} object. */
    public static final class DenoiseSpec {
        public Double strength;
        public Integer steps;
    }

    /** The {@code context} object. */
    public static final class ContextSpec {
        public String file;
        public List<Long> shape;
    }

    /** The optional {@code memory} object: per-pixel memory estimates for tiling. */
    public static final class MemorySpec {
        @SerializedName("encoder_bytes_per_pixel")
        public Long encoderBytesPerPixel;
        @SerializedName("decoder_bytes_per_pixel")
        public Long decoderBytesPerPixel;
        @SerializedName("unet_bytes_per_latent_pixel")
        public Long unetBytesPerLatentPixel;
        @SerializedName("overlap_px")
        public Integer overlapPx;
        /** The {@code --max-memory} to use where none is given: the fastest budget measured for this bundle. */
        @SerializedName("default_budget_mb")
        public Long defaultBudgetMb;
    }

    public String format;
    public Integer version;
    public String name;
    public String description;
    @SerializedName("pixel_range")
    public List<Double> pixelRange;
    public LatentSpec latent;
    public ScheduleSpec schedule;
    public DenoiseSpec denoise;
    public ContextSpec context;
    public Map<String, String> files;
    public MemorySpec memory;
    /** Optional per-palette-size denoise defaults, keyed by palette size ("16", "64", "256"). */
    @SerializedName("denoise_palette")
    public Map<String, DenoiseSpec> denoisePalette;
    /** Optional further looks: name -> a second decoder file (the faithful look is always decoder.pt). */
    public Map<String, LookSpec> looks;

    /** Optional scalar-mode prior (quantizer mode 1, docs/SCALAR.md "bundle.json additions"). */
    public ScalarSpec scalar;

    /** The {@code scalar} object. */
    public static final class ScalarSpec {
        /** The prior tables file (docs/MODELS.md "prior.bin"), listed in {@code files}. */
        public String prior;
        /** The rate level {@code --mode scalar} uses without a quality or rate target. */
        @SerializedName("default_level")
        public Integer defaultLevel;
    }

    /** Most rate levels a prior may have (prior.bin's bound). */
    public static final int MAX_SCALAR_LEVELS = 64;

    /** One entry of {@code looks}. */
    public static final class LookSpec {
        public String decoder;
    }

    /** Palette sizes a {@code denoise_palette} key may name. */
    static final int MIN_PALETTE = 1;
    static final int MAX_PALETTE = 256;
    private static final Pattern LOOK_NAME = Pattern.compile("[a-z][a-z0-9-]{0,15}");

    /**
     * Parses and validates manifest text.
     *
     * @param json  the content of bundle.json
     * @param label how error messages name the bundle, e.g. its folder
     * @throws ModelException with a one-line message naming the first bad field
     */
    public static BundleManifest parse(String json, String label) {
        BundleManifest m;
        try {
            m = new Gson().fromJson(json, BundleManifest.class);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new ModelException("bundle " + label + ": bundle.json is not valid: " + oneLine(e.getMessage()));
        }
        if (m == null) {
            throw new ModelException("bundle " + label + ": bundle.json is empty");
        }
        m.validate(label);
        return m;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "malformed JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private void validate(String label) {
        Checker c = new Checker(label);
        c.require("format", format);
        if (!FORMAT.equals(format)) {
            c.fail("format must be \"" + FORMAT + "\", got \"" + format + "\"");
        }
        c.require("version", version);
        if (version != VERSION) {
            c.fail("version must be " + VERSION + ", got " + version);
        }
        c.require("name", name);
        if (!NAME.matcher(name).matches()) {
            c.fail("name must be 1..32 characters of [A-Za-z0-9._-], got \"" + name + "\"");
        }
        c.require("pixel_range", pixelRange);
        if (pixelRange.size() != 2 || pixelRange.contains(null)) {
            c.fail("pixel_range must be [lo, hi], got " + pixelRange);
        }
        if (!finite(pixelRange.get(0)) || !finite(pixelRange.get(1)) || !(pixelRange.get(0) < pixelRange.get(1))) {
            c.fail("pixel_range must be finite with lo < hi, got " + pixelRange);
        }
        validateLatent(c);
        validateSchedule(c);
        validateDenoise(c, "denoise", denoise);
        validateFiles(c);
        validateContext(c);
        validateMemory(c);
        validateDenoisePalette(c);
        validateLooks(c);
        validateScalar(c);
    }

    private void validateScalar(Checker c) {
        if (scalar == null) {
            return;
        }
        c.require("scalar.prior", scalar.prior);
        String file = scalar.prior;
        if (file.equals(ENCODER) || file.equals(DECODER) || file.equals(UNET) || !files.containsKey(file)) {
            c.fail("scalar.prior \"" + file + "\" must be a prior file listed in files");
        }
        c.require("scalar.default_level", scalar.defaultLevel);
        if (scalar.defaultLevel < 0 || scalar.defaultLevel >= MAX_SCALAR_LEVELS) {
            c.fail("scalar.default_level must be 0.." + (MAX_SCALAR_LEVELS - 1) + ", got " + scalar.defaultLevel);
        }
    }

    private void validateDenoisePalette(Checker c) {
        if (denoisePalette == null) {
            return;
        }
        for (Map.Entry<String, DenoiseSpec> e : denoisePalette.entrySet()) {
            String f = "denoise_palette." + e.getKey();
            int k;
            try {
                k = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                k = -1;
            }
            if (k < MIN_PALETTE || k > MAX_PALETTE) {
                c.fail("denoise_palette keys must be palette sizes " + MIN_PALETTE + ".." + MAX_PALETTE + ", got \""
                        + e.getKey() + "\"");
            }
            validateDenoise(c, f, e.getValue());
        }
    }

    /** One denoise setting, the bundle's default or a palette size's: present, strength 0..1, steps 0..1000. */
    private static void validateDenoise(Checker c, String field, DenoiseSpec d) {
        c.require(field, d);
        c.require(field + ".strength", d.strength);
        if (!(d.strength >= 0 && d.strength <= 1)) {
            c.fail(field + ".strength must be 0..1, got " + d.strength);
        }
        c.require(field + ".steps", d.steps);
        if (d.steps < 0 || d.steps > 1000) {
            c.fail(field + ".steps must be 0..1000, got " + d.steps);
        }
    }

    private void validateLooks(Checker c) {
        if (looks == null) {
            return;
        }
        for (Map.Entry<String, LookSpec> e : looks.entrySet()) {
            if (!LOOK_NAME.matcher(e.getKey()).matches() || e.getKey().equals(FAITHFUL_LOOK)) {
                c.fail("looks: \"" + e.getKey() + "\" must be 1..16 of [a-z0-9-], starting with a letter, not \""
                        + FAITHFUL_LOOK + "\"");
            }
            String f = "looks." + e.getKey() + ".decoder";
            c.require("looks." + e.getKey(), e.getValue());
            c.require(f, e.getValue().decoder);
            String file = e.getValue().decoder;
            if (file.equals(ENCODER) || file.equals(DECODER) || file.equals(UNET) || !files.containsKey(file)) {
                c.fail(f + " \"" + file + "\" must be a second decoder listed in files");
            }
        }
    }

    static final long MAX_BYTES_PER_PIXEL = 1L << 40;
    static final int MAX_OVERLAP_PX = 4096;

    private void validateMemory(Checker c) {
        if (memory == null) {
            return;
        }
        checkBytes(c, "memory.encoder_bytes_per_pixel", memory.encoderBytesPerPixel);
        checkBytes(c, "memory.decoder_bytes_per_pixel", memory.decoderBytesPerPixel);
        checkBytes(c, "memory.unet_bytes_per_latent_pixel", memory.unetBytesPerLatentPixel);
        if (memory.overlapPx != null && (memory.overlapPx < 0 || memory.overlapPx > MAX_OVERLAP_PX)) {
            c.fail("memory.overlap_px must be 0.." + MAX_OVERLAP_PX + ", got " + memory.overlapPx);
        }
        if (memory.defaultBudgetMb != null && (memory.defaultBudgetMb < 1 || memory.defaultBudgetMb > MemoryBudget.MAX_MB)) {
            c.fail("memory.default_budget_mb must be 1.." + MemoryBudget.MAX_MB + ", got " + memory.defaultBudgetMb);
        }
    }

    /** {@code memory.default_budget_mb}, else {@link MemoryBudget#DEFAULT_MB}. */
    public MemoryBudget defaultBudget() {
        return MemoryBudget.ofMegabytes(memory != null && memory.defaultBudgetMb != null
                ? memory.defaultBudgetMb : MemoryBudget.DEFAULT_MB);
    }

    private static void checkBytes(Checker c, String field, Long value) {
        if (value != null && (value < 1 || value > MAX_BYTES_PER_PIXEL)) {
            c.fail(field + " must be 1.." + MAX_BYTES_PER_PIXEL + ", got " + value);
        }
    }

    /** The memory estimates, each absent field taken from {@link MemoryEstimates#DEFAULT}. */
    public MemoryEstimates memoryEstimates() {
        MemoryEstimates d = MemoryEstimates.DEFAULT;
        if (memory == null) {
            return d;
        }
        return new MemoryEstimates(
                memory.encoderBytesPerPixel != null ? memory.encoderBytesPerPixel : d.encoderBytesPerPixel(),
                memory.decoderBytesPerPixel != null ? memory.decoderBytesPerPixel : d.decoderBytesPerPixel(),
                memory.unetBytesPerLatentPixel != null ? memory.unetBytesPerLatentPixel : d.unetBytesPerLatentPixel(),
                memory.overlapPx != null ? memory.overlapPx : d.overlapPx());
    }

    private void validateLatent(Checker c) {
        c.require("latent", latent);
        c.require("latent.channels", latent.channels);
        if (latent.channels < 1 || latent.channels > 16) {
            c.fail("latent.channels must be 1..16, got " + latent.channels);
        }
        c.require("latent.factor", latent.factor);
        int f = latent.factor;
        if (f < 1 || f > 64 || Integer.bitCount(f) != 1) {
            c.fail("latent.factor must be a power of two 1..64, got " + f);
        }
        c.require("latent.alignment", latent.alignment);
        int a = latent.alignment;
        if (a < f || a > 512 || a % f != 0) {
            c.fail("latent.alignment must be a multiple of latent.factor (" + f + ") and at most 512, got " + a);
        }
        c.require("latent.scale", latent.scale);
        if (!finite(latent.scale) || !(latent.scale > 0)) {
            c.fail("latent.scale must be finite and > 0, got " + latent.scale);
        }
        c.require("latent.quant_min", latent.quantMin);
        c.require("latent.quant_max", latent.quantMax);
        if (!finite(latent.quantMin) || !finite(latent.quantMax) || !(latent.quantMin < latent.quantMax)) {
            c.fail("latent.quant_min < latent.quant_max must hold with finite values, got "
                    + latent.quantMin + ", " + latent.quantMax);
        }
    }

    private void validateSchedule(Checker c) {
        c.require("schedule", schedule);
        c.require("schedule.type", schedule.type);
        if (!DdimSchedule.SCALED_LINEAR.equals(schedule.type) && !DdimSchedule.LINEAR.equals(schedule.type)) {
            c.fail("schedule.type must be \"" + DdimSchedule.SCALED_LINEAR + "\" or \"" + DdimSchedule.LINEAR
                    + "\", got \"" + schedule.type + "\"");
        }
        c.require("schedule.beta_start", schedule.betaStart);
        c.require("schedule.beta_end", schedule.betaEnd);
        double b0 = schedule.betaStart;
        double b1 = schedule.betaEnd;
        if (!(b0 > 0 && b0 <= b1 && b1 < 1)) {
            c.fail("schedule betas must satisfy 0 < beta_start <= beta_end < 1, got " + b0 + ", " + b1);
        }
        c.require("schedule.train_steps", schedule.trainSteps);
        if (schedule.trainSteps < 2 || schedule.trainSteps > 100_000) {
            c.fail("schedule.train_steps must be 2..100000, got " + schedule.trainSteps);
        }
        c.require("schedule.prediction", schedule.prediction);
        if (!"epsilon".equals(schedule.prediction)) {
            c.fail("schedule.prediction must be \"epsilon\", got \"" + schedule.prediction + "\"");
        }
    }

    private void validateFiles(Checker c) {
        c.require("files", files);
        for (Map.Entry<String, String> e : files.entrySet()) {
            if (!FILE_NAME.matcher(e.getKey()).matches()) {
                c.fail("files: \"" + e.getKey() + "\" is not a plain file name inside the bundle");
            }
            if (e.getValue() == null || !SHA256.matcher(e.getValue()).matches()) {
                c.fail("files." + e.getKey() + " must be 64 lowercase hex digits (sha256), got " + e.getValue());
            }
        }
        for (String required : List.of(ENCODER, DECODER)) {
            if (!files.containsKey(required)) {
                c.fail("files must list " + required);
            }
        }
    }

    private void validateContext(Checker c) {
        if (context == null) {
            if (files.containsKey(UNET)) {
                c.fail("a bundle with " + UNET + " needs a context (use a [1,1,1] zero tensor if the UNet ignores it)");
            }
            return;
        }
        c.require("context.file", context.file);
        c.require("context.shape", context.shape);
        if (!files.containsKey(context.file)) {
            c.fail("context.file \"" + context.file + "\" must be listed in files");
        }
        if (context.shape.size() != 3 || context.shape.contains(null)) {
            c.fail("context.shape must have rank 3 [1,L,D], got " + context.shape);
        }
        long n = 1;
        for (long d : context.shape) {
            if (d < 1 || d > MAX_CONTEXT_ELEMENTS) {
                c.fail("context.shape entries must be >= 1, got " + context.shape);
            }
            n *= d;
            if (n > MAX_CONTEXT_ELEMENTS) {
                c.fail("context.shape must have at most " + MAX_CONTEXT_ELEMENTS + " elements, got " + context.shape);
            }
        }
        if (context.shape.get(0) != 1) {
            c.fail("context.shape must start with batch 1, got " + context.shape);
        }
    }

    private static boolean finite(Double d) {
        return d != null && Double.isFinite(d);
    }

    /** Files the bundle uses with their expected sha256, in manifest order. */
    public Map<String, String> fileHashes() {
        return new LinkedHashMap<>(files);
    }

    /** Collects the bundle label so every failure reads "bundle LABEL: ...". */
    private static final class Checker {
        private final String label;

        Checker(String label) {
            this.label = label;
        }

        void require(String field, Object value) {
            if (value == null) {
                fail(field + " is missing");
            }
        }

        void fail(String message) {
            throw new ModelException("bundle " + label + ": " + message);
        }
    }
}
