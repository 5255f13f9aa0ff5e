package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.VersionProvider;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.DecodedFile;
import dev.sdc.codec.DecodeOptions;
import dev.sdc.codec.Preset;
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
import java.util.concurrent.Callable;

/** {@code sdc decode IN.sdc OUT.png} or {@code sdc decode -o OUTDIR [--format F] INPUT...}. */
@Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Decompress .sdc files into images (png, jpg, bmp, tif).",
                "  sdc decode IN.sdc OUT.png     one file, in OUT's format ('-': stdin or stdout)",
                "  sdc decode -o OUTDIR [-r] [--format F] INPUT...",
                "                                files and folders, each written to",
                "                                OUTDIR/<its relative path>.F (default: png)"})
final class DecodeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "ARG",
            description = "Without -o: IN.sdc OUT. With -o: input .sdc files and folders.")
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
    MetadataOptions metadata;

    @Mixin
    LookOptions look;

    @Option(names = "--format", paramLabel = "F", completionCandidates = CompletionValues.Formats.class,
            description = "Output format: png, jpg (or jpeg), bmp or tif (or tiff) (default: OUT's extension; with -o or '-': png).")
    String format;

    @Option(names = "--steps", paramLabel = "K", description = "UNet denoising steps 0..1000 (default: the file's).")
    Integer steps;

    @Option(names = "--strength", paramLabel = "S", description = "Denoising strength 0..1: start timestep = S x train steps (default: the file's).")
    Float strength;

    @Option(names = "--preset", paramLabel = "PRESET", converter = PresetConverter.class,
            completionCandidates = CompletionValues.Presets.class,
            description = "Settings bundle: buehlmann (his denoise strength and steps).")
    Preset preset;

    @Option(names = "--max-pixels", paramLabel = "N",
            description = "Refuse files whose header declares more than N pixels, before decoding them "
                    + "(default: 134217728 = 2^27, as encode; at most 2^28).")
    Long maxPixels;

    @Option(names = "--max-steps", paramLabel = "N",
            description = "Refuse files whose own denoise defaults ask for more than N UNet calls, before decoding "
                    + "them (default: " + DecodeOptions.DEFAULT_MAX_STEPS + "; 0..1000); --steps overrides the file's and is not bounded by it.")
    Integer maxSteps;

    @Option(names = "--no-denoise", description = "Skip the UNet: palette lookup, dequantize, VAE decoder only.")
    boolean noDenoise;

    private DecodeOptions options;
    private Batch runner;

    @Override
    public Integer call() {
        out.check();
        if (noDenoise && (steps != null || strength != null || preset != null)) {
            throw new SdcException(ExitCode.USAGE, "--no-denoise skips the UNet, so --steps, --strength and --preset"
                    + " would do nothing; drop one side");
        }
        if (preset != null) {
            strength = strength != null ? strength : preset.strength();
            steps = steps != null ? steps : preset.steps();
        }
        if (steps != null) {
            Checks.range("--steps", steps, 0, 1000);
        }
        if (strength != null) {
            Checks.range("--strength", strength, 0f, 1f);
        }
        if (format != null) {
            format = format.toLowerCase(Locale.ROOT);
            if (!ImageFiles.WRITABLE.contains(format)) {
                throw new SdcException(ExitCode.USAGE, "unsupported --format " + format + " (use png, jpg, bmp or tif)");
            }
        }
        if (maxPixels != null) {
            Checks.range("--max-pixels", maxPixels, 1L, dev.sdc.image.ImageFiles.MAX_PIXELS);
        }
        if (maxSteps != null) {
            Checks.range("--max-steps", maxSteps, 0, 1000);
        }
        options = look.apply(new DecodeOptions(strength, steps, !noDenoise))
                .withMaxPixels(maxPixels != null ? maxPixels : dev.sdc.image.ReadOptions.DEFAULT_MAX_PIXELS)
                .withMaxSteps(maxSteps != null ? maxSteps : DecodeOptions.DEFAULT_MAX_STEPS);
        model.check(); // a malformed --max-memory, $SDC_THREADS or $TORCH_CPP_LOG_LEVEL fails before any work
        metadata.policy(); // so does a malformed --metadata
        String ext = format != null ? format : "png";
        List<Batch.Job> jobs = batch.plan(paths, "decode", p -> ImageFiles.extension(p).equals("sdc"),
                rel -> EncodeCommand.withExtension(rel, ext), o -> {
                    if (format == null) {
                        Checks.imageExtension(o);
                    } else {
                        requireFormatMatches(o);
                    }
                });
        runner = new Batch(out, SdcCommand.stdioOf(root), batch.force, batch.skipExisting, spec.commandLine().getErr());
        return runner.run(jobs, batch.jobs, batch.batchMode(), () -> look.check(model.sharedCodec()), this::decodeFile);
    }

    /** The pipeline for one file: read → decode → write. Per-file options hook in here. */
    private Batch.Done decodeFile(BundleCodec codec, Batch.Job job) {
        byte[] sdc = job.fromStdin() ? Batch.readSdcStdin(SdcCommand.stdioOf(root).in())
                : SdcReader.readBytes(job.input());
        dev.sdc.bitstream.SdcHeader header = SdcReader.readHeader(sdc);
        ImageFiles.checkEncodable(formatOf(job), header.width(), header.height()); // before the decode, not after
        DecodedFile decoded = codec.decodeWithMetadata(sdc, options);
        RgbImage image = decoded.image();
        byte[] encoded = metadata.encodeDecoded(decoded, formatOf(job), out);
        runner.write(job, encoded);
        long pixels = (long) image.width() * image.height();
        String line = String.format(Locale.ROOT, "%s: %dx%d from %d bytes (bundle %s%s)", job.outputName(),
                image.width(), image.height(), sdc.length, codec.bundleName(), (noDenoise ? ", no denoise" : "") + look.note());
        out.timings(codec.lastTimings());
        return new Batch.Done(sdc.length, encoded.length, pixels, sdc.length, line);
    }

    /**
     * {@code --format jpg y.png} would write JPEG bytes under a .png name, which every later tool misreads; an
     * output whose extension names an image format must name --format's. Any other name ('-', a device, a
     * name without an image extension) takes --format as given.
     */
    private void requireFormatMatches(Path output) {
        String ext = ImageFiles.extension(output);
        if (ImageFiles.WRITABLE.contains(ext) && !ImageFiles.sameFormat(ext, format)) {
            throw new SdcException(ExitCode.USAGE, "--format " + format + " does not match the output " + output
                    + "; drop --format or rename the output");
        }
    }

    /** --format, else the output's extension, else (stdout, a device, a pipe) png. */
    private String formatOf(Batch.Job job) {
        if (format != null) {
            return format;
        }
        String ext = job.toStdout() ? "" : ImageFiles.extension(job.output());
        return ImageFiles.WRITABLE.contains(ext) ? ext : "png";
    }
}
