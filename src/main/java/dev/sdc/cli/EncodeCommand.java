package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.Plural;
import dev.sdc.SdcException;
import dev.sdc.VersionProvider;
import dev.sdc.bitstream.SdcMetadata;
import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.EncodeOptions;
import dev.sdc.codec.Preset;
import dev.sdc.codec.QuantizerMode;
import dev.sdc.codec.RateControlled;
import dev.sdc.codec.RateTarget;
import dev.sdc.codec.SdcSummary;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code sdc encode IN OUT.sdc} or {@code sdc encode -o OUTDIR INPUT...}. */
@Command(name = "encode", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Compress images (PNG, JPEG, WebP, BMP, TIFF, GIF) into .sdc files.",
                "  sdc encode IN OUT.sdc               one image ('-' for stdin or stdout)",
                "  sdc encode -o OUTDIR [-r] INPUT...  files and folders, each written to",
                "                                      OUTDIR/<its relative path>.sdc"})
final class EncodeCommand implements Callable<Integer> {
    /** The image files a folder input contributes. */
    static final Set<String> IMAGE_EXTENSIONS = ImageFiles.READABLE;

    @Parameters(arity = "1..*", paramLabel = "ARG",
            description = "Without -o: IN OUT.sdc. With -o: input images and folders.")
    List<Path> paths;

    @ParentCommand
    SdcCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    OutputOptions out;

    @Mixin
    BatchOptions batch;

    @Mixin
    ImageInputOptions imageInput;

    @Mixin
    RateOptions rate;

    @Mixin
    MetadataOptions metadata;

    @Mixin
    ModeOptions mode;

    @Option(names = {"-c", "--colors"}, paramLabel = "N",
            description = "Palette size 1..256 (default: 256); fewer colours, fewer bytes.")
    Integer colors;

    @Option(names = "--no-dither", description = "Map latents to the nearest palette colour instead of Floyd-Steinberg dithering.")
    boolean noDither;

    @Option(names = "--preset", paramLabel = "PRESET", converter = PresetConverter.class,
            completionCandidates = CompletionValues.Presets.class,
            description = "Settings bundle: buehlmann (256 colours, dithering, his denoise strength/steps as the file's decode defaults).")
    Preset preset;

    private QuantizerMode quantizerMode;
    /** Palette mode: the settings; scalar mode: built per codec (the quality's rate depends on the bundle's prior). */
    private EncodeOptions options;
    /** --size/--bpp, or null: each file then searches the palette size that fits. */
    private RateTarget target;
    private Batch runner;

    @Override
    public Integer call() {
        out.check();
        int n = colors != null ? colors : preset != null ? preset.colors() : EncodeOptions.DEFAULT_COLORS;
        Checks.range("--colors", n, 1, 256);
        target = rate.target(colors);
        quantizerMode = mode.mode(colors, noDither, preset != null, target != null);
        options = preset == null ? new EncodeOptions(n, !noDither)
                : new EncodeOptions(n, preset.dither() && !noDither, preset.strength(), preset.steps());
        model.check(); // a malformed --max-memory, $SDC_THREADS or $TORCH_CPP_LOG_LEVEL fails before any work
        metadata.policy(); // so does a malformed --metadata
        List<Batch.Job> jobs = batch.plan(paths, "encode",
                p -> IMAGE_EXTENSIONS.contains(ImageFiles.extension(p)),
                rel -> withExtension(rel, "sdc"), EncodeCommand::requireSdcName);
        runner = new Batch(out, SdcCommand.stdioOf(root), batch.force, batch.skipExisting, spec.commandLine().getErr());
        return runner.run(jobs, batch.jobs, batch.batchMode(), () -> model.sharedCodec().require(quantizerMode),
                this::encodeFile);
    }

    /** The pipeline for one file: read → encode → write. Per-file options hook in here. */
    private Batch.Done encodeFile(BundleCodec codec, Batch.Job job) {
        EncodeOptions options = quantizerMode == QuantizerMode.SCALAR
                ? codec.scalarOptions(mode.quality()) : this.options;
        byte[] stdin = job.fromStdin() ? runner.readStdin(ImageFiles.MAX_INPUT_BYTES) : null;
        RgbImage image = stdin != null ? imageInput.decode(stdin, "stdin", out) : imageInput.read(job.input(), out);
        long bytesIn = stdin != null ? stdin.length : Checks.size(job.input());
        SdcMetadata md = stdin != null ? metadata.forEncode(stdin, "stdin", image, out) : metadata.forEncode(job.input(), image, out);
        RateControlled rated = target == null ? null : codec.encode(image, target, options, md);
        byte[] sdc = rated == null ? codec.encode(image, options, md) : rated.bytes();
        EncodeOptions used = rated == null ? options : rated.options();
        runner.write(job, sdc);
        long pixels = (long) image.width() * image.height();
        String line = String.format(Locale.ROOT, "%s: %dx%d -> %d bytes, %.4f bpp (%s, bundle %s)",
                job.outputName(), image.width(), image.height(), sdc.length, sdc.length * 8.0 / pixels,
                settings(codec, used, sdc, rated == null), codec.bundleName())
                + (rated == null ? "" : "; " + rated.describe());
        out.timings(codec.lastTimings());
        return new Batch.Done(bytesIn, sdc.length, pixels, sdc.length, line);
    }

    /**
     * "256 colours", "12 colours, no dither", "37 colours, 256 asked", or "scalar level 2, rate factor 1.0000,
     * steps …". The count is the file's palette: a flat or tiny image has fewer distinct latent colours than asked.
     * A rate-controlled file names no asked count: the user asked for a size, and its search line follows.
     */
    static String settings(BundleCodec codec, EncodeOptions used, byte[] sdc, boolean colorsAsked) {
        if (used.mode() == QuantizerMode.SCALAR) {
            return "scalar " + codec.describeScalarRate(used.scalarRate() != null ? used.scalarRate()
                    : codec.defaultScalarRate());
        }
        int colours = SdcSummary.of(sdc).colors();
        return Plural.count(colours, "colour")
                + (colorsAsked && colours < used.colors() ? ", " + used.colors() + " asked" : "")
                + (used.dither() ? "" : ", no dither");
    }

    /** {@code sdc encode a.png b.png} must not overwrite b.png with .sdc bytes. */
    static void requireSdcName(Path output) {
        if (!ImageFiles.extension(output).equals("sdc")) {
            throw new SdcException(ExitCode.USAGE, "output " + output + " does not end in .sdc; use: sdc encode IN OUT.sdc"
                    + ", or sdc encode -o OUTDIR INPUT... for several images");
        }
    }

    /** {@code dir/photo.png} → {@code dir/photo.EXT}. */
    static Path withExtension(Path relative, String extension) {
        String name = relative.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return relative.resolveSibling(stem + "." + extension);
    }
}
