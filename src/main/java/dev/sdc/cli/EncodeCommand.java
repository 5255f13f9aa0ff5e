package dev.sdc.cli;

import dev.sdc.VersionProvider;
import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.EncodeOptions;
import dev.sdc.codec.Preset;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code sdc encode IN OUT.sdc}. */
@Command(name = "encode", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Compress an image (PNG, JPEG, BMP, TIFF, GIF) into a .sdc file.")
final class EncodeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "Input image.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output .sdc file (written atomically).")
    Path output;

    @Mixin
    ModelOption model;

    @Mixin
    OutputOptions out;

    @Mixin
    MetadataOptions metadata;

    @Option(names = {"-c", "--colors"}, paramLabel = "N",
            description = "Palette size 1..256 (default: 256); fewer colours, fewer bytes.")
    Integer colors;

    @Option(names = "--no-dither", description = "Map latents to the nearest palette colour instead of Floyd-Steinberg dithering.")
    boolean noDither;

    @Option(names = "--preset", paramLabel = "NAME", converter = PresetConverter.class,
            description = "Settings bundle: buehlmann (256 colours, dithering, his denoise strength/steps as the file's decode defaults).")
    Preset preset;

    @Override
    public Integer call() {
        int n = colors != null ? colors : preset != null ? preset.colors() : EncodeOptions.DEFAULT_COLORS;
        Checks.range("--colors", n, 1, 256);
        EncodeOptions options = preset == null ? new EncodeOptions(n, !noDither)
                : new EncodeOptions(n, preset.dither() && !noDither, preset.strength(), preset.steps());
        Checks.outputFolderExists(output);
        Checks.notSameFile(input, output);
        model.budget(); // a malformed --max-memory fails before any work
        metadata.policy(); // so does a malformed --metadata
        RgbImage image = ImageFiles.read(input);
        try (BundleCodec codec = model.openCodec()) {
            byte[] sdc = codec.encode(image, options, metadata.forEncode(input, image));
            AtomicFiles.write(output, sdc);
            double bpp = sdc.length * 8.0 / ((double) image.width() * image.height());
            out.report(String.format(Locale.ROOT, "%s: %dx%d -> %d bytes, %.4f bpp (%d colours%s, bundle %s)",
                    output, image.width(), image.height(), sdc.length, bpp, n, options.dither() ? "" : ", no dither",
                    codec.bundleName()));
            out.timings(codec.lastTimings());
        }
        return 0;
    }
}
