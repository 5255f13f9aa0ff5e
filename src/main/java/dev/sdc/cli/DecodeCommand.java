package dev.sdc.cli;

import dev.sdc.VersionProvider;
import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.DecodeOptions;
import dev.sdc.codec.Preset;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code sdc decode IN.sdc OUT.png}. */
@Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Decompress a .sdc file into an image; the output format follows the extension (png, jpg, bmp, tif).")
final class DecodeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "Input .sdc file.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output image: .png, .jpg, .bmp or .tif (written atomically).")
    Path output;

    @Mixin
    ModelOption model;

    @Mixin
    OutputOptions out;

    @Mixin
    MetadataOptions metadata;

    @Option(names = "--steps", paramLabel = "K", description = "UNet denoising steps 0..1000 (default: the file's).")
    Integer steps;

    @Option(names = "--strength", paramLabel = "S", description = "Denoising strength 0..1: start timestep = S x train steps (default: the file's).")
    Float strength;

    @Option(names = "--preset", paramLabel = "NAME", converter = PresetConverter.class,
            description = "Settings bundle: buehlmann (his denoise strength and steps).")
    Preset preset;

    @Option(names = "--no-denoise", description = "Skip the UNet: palette lookup, dequantize, VAE decoder only.")
    boolean noDenoise;

    @Override
    public Integer call() {
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
        Checks.imageExtension(output);
        Checks.outputFolderExists(output);
        Checks.notSameFile(input, output);
        model.budget(); // a malformed --max-memory fails before any work
        metadata.policy(); // so does a malformed --metadata
        byte[] sdc = Checks.readInput(input);
        try (BundleCodec codec = model.openCodec()) {
            RgbImage image = codec.decode(sdc, new DecodeOptions(strength, steps, !noDenoise));
            metadata.writeDecoded(image, output, sdc);
            out.report(String.format(Locale.ROOT, "%s: %dx%d from %d bytes (bundle %s%s)", output, image.width(),
                    image.height(), sdc.length, codec.bundleName(), noDenoise ? ", no denoise" : ""));
            out.timings(codec.lastTimings());
        }
        return 0;
    }
}
