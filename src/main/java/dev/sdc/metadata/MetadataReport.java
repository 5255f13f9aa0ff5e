package dev.sdc.metadata;

import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints what the default {@code --metadata} keeps and drops of a photo's metadata, in bytes
 * ({@code scripts/measure-metadata.sh}).
 */
public final class MetadataReport {
    private MetadataReport() {
    }

    public static void main(String[] args) throws IOException {
        for (String a : args) {
            Path p = Path.of(a);
            byte[] bytes = Files.readAllBytes(p);
            RgbImage image = ImageFiles.decode(bytes, a);
            MetadataTransfer.Prepared d = MetadataTransfer.prepare(bytes, a, image.width(), image.height(),
                    MetadataPolicy.DEFAULT, System.err::println);
            System.out.printf("%s: exif in %d, kept %d (thumbnail dropped %d, MakerNote dropped %d); xmp in %d, kept %d;"
                            + " section %d bytes%n", p.getFileName(), d.exifIn(), d.exifKept(), d.thumbnailBytes(),
                    d.makerNoteBytes(), d.xmpIn(), d.xmpKept(), d.metadata().sectionBytes());
        }
    }
}
