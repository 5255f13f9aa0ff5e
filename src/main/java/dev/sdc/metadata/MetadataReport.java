package dev.sdc.metadata;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.ToolMain;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Prints what the default {@code --metadata} keeps and drops of a photo's metadata, in bytes
 * ({@code scripts/measure-metadata.sh}). A missing or unreadable photo is one line and exit 3, as in sdc.
 */
public final class MetadataReport {
    private MetadataReport() {
    }

    public static void main(String[] args) {
        ToolMain.run("measure-metadata", args, MetadataReport::run);
    }

    private static void run(String[] args) {
        for (String a : args) {
            Path p = Path.of(a);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(p);
            } catch (NoSuchFileException e) {
                throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + a + ": no such file");
            } catch (IOException e) {
                throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + a + ": " + e.getMessage(), e);
            }
            RgbImage image = ImageFiles.decode(bytes, a);
            MetadataTransfer.Prepared d = MetadataTransfer.prepare(bytes, a, image.width(), image.height(),
                    MetadataPolicy.DEFAULT, System.err::println);
            System.out.printf("%s: exif in %d, kept %d (thumbnail dropped %d, MakerNote dropped %d); xmp in %d, kept %d;"
                            + " section %d bytes%n", p.getFileName(), d.exifIn(), d.exifKept(), d.thumbnailBytes(),
                    d.makerNoteBytes(), d.xmpIn(), d.xmpKept(), d.metadata().sectionBytes());
        }
    }
}
