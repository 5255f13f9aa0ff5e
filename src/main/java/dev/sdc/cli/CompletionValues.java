package dev.sdc.cli;

import dev.sdc.codec.Preset;
import dev.sdc.codec.QuantizerMode;
import dev.sdc.image.ImageFiles;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The values {@code sdc completion} offers after an option, taken from the same lists the options parse
 * against, so the completion script cannot offer a value the parser refuses. Public with public
 * constructors: picocli instantiates them by reflection.
 */
public final class CompletionValues {
    private CompletionValues() {
    }

    /** {@code --mode}: the quantizer modes. */
    public static final class Modes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(QuantizerMode.values()).map(QuantizerMode::cliName).iterator();
        }
    }

    /** {@code --format}: the image formats sdc writes. */
    public static final class Formats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ImageFiles.WRITABLE.stream().sorted().iterator();
        }
    }

    /** {@code --preset}: the named settings bundles. */
    public static final class Presets implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Preset.values()).map(Preset::id).iterator();
        }
    }

    /** {@code --metadata}: the two keywords and the parts a comma list may name. */
    public static final class Metadata implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("all", "none", "exif", "xmp", "icc").iterator();
        }
    }
}
