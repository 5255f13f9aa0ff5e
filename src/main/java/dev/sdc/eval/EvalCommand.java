package dev.sdc.eval;

import dev.sdc.ExitCode;
import dev.sdc.Plural;
import dev.sdc.SdcException;
import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.QuantizerMode;
import dev.sdc.codec.SdcCodec;
import dev.sdc.eval.baseline.Baseline;
import dev.sdc.eval.baseline.Baselines;
import dev.sdc.eval.baseline.ExternalProcess;
import dev.sdc.eval.metrics.Butteraugli;
import dev.sdc.image.ImageFiles;
import dev.sdc.io.InputFiles;
import dev.sdc.io.Jobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code sdc eval}: codes every image with sdc at each palette size, then each baseline at matched bytes,
 * and writes results.csv, summary.md, rate–distortion plots and comparison sheets into {@code --out}.
 *
 * <p>Wiring: construct with a factory that opens the real codec, e.g.
 * {@code new EvalCommand(model -> SdcCodecs.open(model))}, and add it as a subcommand instance. The factory
 * receives the {@code --model} folder, or null when the option is absent (the factory then applies the
 * codec's default bundle location). The codec is opened once and closed when the command ends.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = dev.sdc.VersionProvider.class,
        description = "Compare sdc against JPEG, WebP, AVIF and JPEG XL at matched file sizes.")
public final class EvalCommand implements Callable<Integer> {
    /** What {@code sdc completion} offers after {@code --codecs}; public for picocli's reflection. */
    public static final class CodecNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Stream.concat(Baselines.NAMES.stream(), Stream.of("none")).iterator();
        }
    }

    private static final Set<String> IMAGE_EXTENSIONS = ImageFiles.READABLE;

    private final Function<Path, SdcCodec> codecFactory;
    private final PrintStream err;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR_OR_FILE", description = "Images, or folders of images (not recursive).")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "REPORT_DIR", description = "Folder for the report (created).")
    Path out;

    @Option(names = "--model", paramLabel = "DIR", description = "Model bundle folder.")
    Path model;

    @Option(names = "--colors", split = ",", paramLabel = "N", defaultValue = "16,64,256",
            description = "Palette sizes to evaluate (default: ${DEFAULT-VALUE}).")
    List<Integer> colors;

    @Option(names = "--scalar-bpp", split = ",", paramLabel = "X",
            description = "Scalar-mode rows (codec sdc-scalar) at these bit-rate targets, reached by rate control "
                    + "(default: 0.025,0.05,0.1,0.2 when the bundle has a scalar prior, else none; 'none' skips them).")
    List<String> scalarBpp;

    @Option(names = "--codecs", split = ",", paramLabel = "CODEC", defaultValue = "jpeg,webp,avif,jxl",
            completionCandidates = EvalCommand.CodecNames.class,
            description = "Baselines (default: ${DEFAULT-VALUE}; also avif2x: AVIF of the half-size image, enlarged"
                    + " back); a missing tool is skipped with a warning.")
    List<String> codecs;

    @Option(names = "--jobs", paramLabel = "N", description = "Parallel baseline/metric jobs, 1..256 (default: CPU count).")
    Integer jobs;

    @Option(names = "--ablations",
            description = "Also report the autoencoder alone (no quantisation) and each file decoded without denoising.")
    boolean ablations;

    @Option(names = "--look", paramLabel = "LOOK", split = ",", completionCandidates = dev.sdc.model.Bundle.CommonLooks.class,
            description = "Decoder look(s) for the sdc rows: faithful (default) or another look of the bundle, e.g. sharp;"
                    + " a list (faithful,sharp) decodes each file with each look: the first look's rows are sdc, the"
                    + " others' sdc-LOOK, side by side on the sheets, all matched to the same baselines.")
    List<String> looks = new ArrayList<>();

    @Option(names = {"-f", "--force"},
            description = "Replace a report already in REPORT_DIR (its results.csv, summary.md, rd_*.png and sheet_*.png;"
                    + " nothing else there is touched). Without it such a folder is refused before any work.")
    boolean force;

    @Option(names = "--sheets", paramLabel = "N", defaultValue = "3",
            description = "Images that get a comparison sheet (default: ${DEFAULT-VALUE}).")
    int sheets;

    public EvalCommand(Function<Path, SdcCodec> codecFactory) {
        this(codecFactory, System.err);
    }

    /** As {@link #EvalCommand(Function)}, with warnings and progress going to {@code err}. */
    public EvalCommand(Function<Path, SdcCodec> codecFactory, PrintStream err) {
        this.codecFactory = Objects.requireNonNull(codecFactory, "codecFactory");
        this.err = err;
    }

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        for (int c : colors) {
            if (c < 1 || c > 256) {
                throw new SdcException(ExitCode.USAGE, "--colors: " + c + " is not in 1..256");
            }
        }
        // a repeated value would count every image twice in its mean (n = 2 for one image)
        requireDistinct("--colors", colors);
        requireDistinct("--look", looks); // faithful,faithful would be two rows of one codec name
        List<String> codecNames = codecs.stream().map(Baselines::canonical).toList(); // jpg is jpeg: not twice
        requireDistinct("--codecs", codecNames);
        if (codecNames.contains("none") && codecNames.size() > 1) {
            throw new SdcException(ExitCode.USAGE, "--codecs: none means no baseline, so it stands alone");
        }
        List<SdcSetting> scalarTargets = scalarTargets(); // parsed before any work: a typo must not cost a run
        int threads = jobs == null ? Jobs.perCore() : Jobs.check(jobs);
        if (sheets < 0) {
            throw new SdcException(ExitCode.USAGE, "--sheets must be 0 or more");
        }
        List<String> leftOut = new ArrayList<>(); // what the report lacks, said in summary.md as on stderr
        List<Baseline> baselines = Baselines.find(codecs, warning -> {
            err.println(warning);
            leftOut.add(warning.replaceFirst("^sdc: warning: ", ""));
        });
        List<Path> images = collectImages(inputs);
        ReportFolder report = ReportFolder.check(out, force); // before any work: a 30-minute run must not end in "exists"
        report.refuseInputs(inputs, images);
        Butteraugli butteraugli = Butteraugli.onPath();
        if (!butteraugli.available()) {
            err.println("sdc: warning: butteraugli not found, its column stays empty");
        }
        EvalRunner.Outcome outcome;
        String bundle;
        try (SdcCodec codec = codecFactory.apply(model)) {
            if (codec instanceof BundleCodec bundleCodec) {
                looks.forEach(bundleCodec::requireLook); // an unknown look fails (exit 2) before any image
            }
            bundle = codec.bundleName() + (looks.isEmpty() ? "" : " (" + (looks.size() == 1 ? "look " : "looks ")
                    + String.join(", ", looks) + ")");
            List<SdcSetting> settings = new ArrayList<>(colors.stream().map(SdcSetting::palette).toList());
            settings.addAll(scalarSettings(codec, scalarTargets));
            report.create(); // only now: a bad --look, --scalar-bpp or bundle leaves no empty folder behind
            outcome = new EvalRunner(codec, baselines, butteraugli, err, ablations, looks)
                    .runSettings(images, settings, threads, sheets);
        }
        if (outcome.skipped().size() == images.size()) {
            report.removeIfCreatedEmpty(); // a report of no image would look like a report
            throw new SdcException(ExitCode.BAD_INPUT, (images.size() == 1 ? "the image" : "none of the "
                    + images.size() + " images") + " could be read; no report written");
        }
        leftOut.addAll(outcome.leftOut());
        report.clearOldReport();
        List<Path> written = new ArrayList<>();
        written.add(out.resolve("results.csv"));
        ResultsCsv.write(outcome.results(), written.get(0));
        written.add(out.resolve("summary.md"));
        SummaryReport.write(outcome.results(), commandLine(), environment(bundle, baselines, butteraugli, threads),
                leftOut, written.get(1));
        written.addAll(RdPlots.write(outcome.results(), out));
        written.addAll(ComparisonSheet.writeAll(outcome.sheets(), out));
        report.writeIndex(written);
        int n = outcome.results().size();
        err.println("wrote " + Plural.count(n, "result") + " to " + out);
        if (!outcome.skipped().isEmpty()) {
            // the report covers the readable images; the exit code tells a script that some were left out
            err.println("sdc: error: " + outcome.skipped().size() + " of " + images.size()
                    + " images could not be read and are not in the report");
            return ExitCode.BAD_INPUT.code();
        }
        return ExitCode.OK.code();
    }

    /** Targets of the scalar rows when --scalar-bpp is not given (issue 10's evaluation rates). */
    static final List<String> DEFAULT_SCALAR_BPP = List.of("0.025", "0.05", "0.1", "0.2");

    /**
     * --scalar-bpp parsed: null when not given (the bundle decides), empty for {@code none}.
     *
     * @throws SdcException USAGE for a malformed target or one given twice (0.05 and 0.050 are one target)
     */
    private List<SdcSetting> scalarTargets() {
        if (scalarBpp == null) {
            return null;
        }
        if (scalarBpp.size() == 1 && scalarBpp.get(0).strip().equalsIgnoreCase("none")) {
            return List.of();
        }
        List<SdcSetting> out = new ArrayList<>();
        for (String raw : scalarBpp) {
            try {
                out.add(SdcSetting.scalar(raw.strip()));
            } catch (IllegalArgumentException e) {
                throw new SdcException(ExitCode.USAGE, "--scalar-bpp: " + e.getMessage());
            }
        }
        requireDistinct("--scalar-bpp", out.stream().map(t -> t.setting().substring("bpp=".length())).toList());
        return out;
    }

    /**
     * The scalar rows: the given targets, or the default ones when the bundle has a scalar prior.
     *
     * @throws SdcException MODEL for explicit targets on a bundle without a prior
     */
    private List<SdcSetting> scalarSettings(SdcCodec codec, List<SdcSetting> targets) {
        boolean supported = codec.supports(QuantizerMode.SCALAR);
        if (targets == null) {
            return supported ? DEFAULT_SCALAR_BPP.stream().map(SdcSetting::scalar).toList() : List.of();
        }
        if (!targets.isEmpty() && !supported) {
            throw new SdcException(ExitCode.MODEL, "--scalar-bpp: "
                    + QuantizerMode.SCALAR.unsupportedBy(codec.bundleName(), "--model DIR"));
        }
        return targets;
    }

    /**
     * Expands folders as encode does (sorted by name, image extensions only, names starting with '.' skipped,
     * not recursive) and checks that files exist. Results are keyed by file name, so two inputs with one name
     * (or one file given twice) are a usage error rather than a report that mixes them up.
     */
    static List<Path> collectImages(List<Path> inputs) {
        List<Path> images = new ArrayList<>();
        java.util.Map<String, Path> byName = new java.util.HashMap<>();
        for (InputFiles.Input in : InputFiles.expand(inputs, false, f -> IMAGE_EXTENSIONS.contains(ImageFiles.extension(f)))) {
            Path p = in.file();
            if (!Files.isRegularFile(p) && inputs.contains(p)) {
                // a typo on the command line fails before the run; a broken link inside a folder is read, fails
                // and is left out of the report with a warning, as any other unreadable image
                throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + p + ": no such file or folder");
            }
            Path before = byName.putIfAbsent(p.getFileName().toString(), p);
            if (before != null) {
                throw new SdcException(ExitCode.USAGE, before.normalize().equals(p.normalize())
                        ? p + " is an input twice; give it once"
                        : before + " and " + p + " share a name, which keys the report's rows and sheets; rename one");
            }
            images.add(p);
        }
        if (images.isEmpty()) {
            throw new SdcException(ExitCode.BAD_INPUT, "no images found in " + String.join(", ",
                    inputs.stream().map(Path::toString).toList()));
        }
        return images;
    }

    private static void requireDistinct(String option, List<?> values) {
        Set<Object> seen = new java.util.HashSet<>();
        for (Object v : values) {
            if (!seen.add(v)) {
                throw new SdcException(ExitCode.USAGE, option + ": " + v + " is given twice");
            }
        }
    }

    private String commandLine() {
        List<String> all = new ArrayList<>();
        if (spec == null) {
            all.add("sdc eval");
        } else {
            // The root's parse result holds every argument as typed, subcommand name included.
            CommandSpec root = spec.root();
            all.addAll(root == spec ? List.of("sdc", "eval") : List.of(root.name()));
            all.addAll(root.commandLine().getParseResult().originalArgs());
        }
        return ExternalProcess.render(all);
    }

    private static List<String> environment(String bundle, List<Baseline> baselines, Butteraugli butteraugli, int jobs) {
        List<String> env = new ArrayList<>();
        env.add(new dev.sdc.VersionProvider().getVersion()[0] + ", bundle " + bundle);
        env.add("machine: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " CPUs"
                + cpuModel() + ", --jobs " + jobs);
        env.add("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        for (Baseline b : baselines) {
            env.add(b.name() + ": " + b.version());
        }
        env.add("butteraugli: " + (butteraugli.available() ? "butteraugli (reference tool, on PATH)" : "absent"));
        return env;
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> " (" + l.substring(l.indexOf(':') + 1).strip() + ")").orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
