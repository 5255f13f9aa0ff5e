package dev.sdc.cli;

import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.EncodeOptions;
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

    @Option(names = {"-c", "--colors"}, paramLabel = "N", defaultValue = "256",
            description = "Palette size 1..256 (default: ${DEFAULT-VALUE}); fewer colours, fewer bytes.")
    int colors;

    @Option(names = "--no-dither", description = "Map latents to the nearest palette colour instead of Floyd-Steinberg dithering.")
    boolean noDither;

    @Override
    public Integer call() {
        Checks.range("--colors", colors, 1, 256);
        Checks.outputFolderExists(output);
        model.budget(); // a malformed --max-memory fails before any work
        RgbImage image = ImageFiles.read(input);
        try (BundleCodec codec = model.openCodec()) {
            byte[] sdc = codec.encode(image, new EncodeOptions(colors, !noDither));
            AtomicFiles.write(output, sdc);
            double bpp = sdc.length * 8.0 / ((double) image.width() * image.height());
            out.report(String.format(Locale.ROOT, "%s: %dx%d -> %d bytes, %.4f bpp (%d colours%s, bundle %s)",
                    output, image.width(), image.height(), sdc.length, bpp, colors, noDither ? ", no dither" : "",
                    codec.bundleName()));
            out.timings(codec.lastTimings());
        }
        return 0;
    }
}
