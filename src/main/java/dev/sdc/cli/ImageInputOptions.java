package dev.sdc.cli;

import dev.sdc.image.DecodedImage;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.ReadOptions;
import dev.sdc.image.RgbImage;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --background} and {@code --max-pixels}: how an input image is read (README "Input images"). */
final class ImageInputOptions {
    @Option(names = "--background", paramLabel = "COLOUR",
            description = "Colour transparent pixels are composited onto: white, black or #rrggbb (default: white).")
    String background;

    @Option(names = "--max-pixels", paramLabel = "N",
            description = "Refuse inputs whose header declares more than N pixels, before decoding them "
                    + "(default: 134217728 = 2^27; at most 2^28).")
    Long maxPixels;

    ReadOptions readOptions() {
        return new ReadOptions(background == null ? ReadOptions.DEFAULT_BACKGROUND : ReadOptions.parseBackground(background),
                maxPixels == null ? ReadOptions.DEFAULT_MAX_PIXELS : maxPixels);
    }

    /** Reads {@code input}, printing each liberty taken as a one-line warning through {@code out}. */
    RgbImage read(Path input, OutputOptions out) {
        return warn(ImageFiles.read(input, readOptions()), input.toString(), out);
    }

    /** As {@link #read} for an image held in memory (stdin); {@code what} names it in warnings. */
    RgbImage decode(byte[] bytes, String what, OutputOptions out) {
        return warn(ImageFiles.decode(bytes, what, readOptions()), what, out);
    }

    private static RgbImage warn(DecodedImage decoded, String what, OutputOptions out) {
        for (String w : decoded.warnings()) {
            out.warning(what + ": " + w);
        }
        return decoded.image();
    }
}
