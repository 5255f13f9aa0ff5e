package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.bitstream.SdcMetadata;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.io.AtomicFiles;
import dev.sdc.metadata.MetadataEmbedder;
import dev.sdc.metadata.MetadataPolicy;
import dev.sdc.metadata.MetadataTransfer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/** {@code --metadata all|none|LIST} for encode (what goes into the .sdc) and decode (what comes out). */
final class MetadataOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--metadata", paramLabel = "all|none|LIST",
            description = "Metadata to keep: all, none, or a comma list of exif, xmp, icc (default: exif,xmp,icc "
                    + "without the EXIF thumbnail and MakerNote; all keeps those too; icc keeps the profile's name only).")
    String metadata;

    MetadataPolicy policy() {
        try {
            return metadata == null ? MetadataPolicy.DEFAULT : MetadataPolicy.parse(metadata);
        } catch (IllegalArgumentException e) {
            throw new SdcException(ExitCode.USAGE, "--metadata: " + e.getMessage());
        }
    }

    void warn(String message) {
        spec.commandLine().getErr().println("sdc: warning: " + message);
    }

    /** The metadata section for {@code image}, read from the input file's bytes. */
    SdcMetadata forEncode(Path input, RgbImage image) {
        MetadataPolicy p = policy();
        if (!p.any()) {
            return SdcMetadata.NONE;
        }
        return MetadataTransfer.prepare(SdcReader.readBytes(input), input.toString(), image.width(), image.height(),
                p, this::warn).metadata();
    }

    /** Writes the decoded image in the format of {@code output}'s extension, with the file's metadata. */
    void writeDecoded(RgbImage image, Path output, byte[] sdc) {
        MetadataPolicy p = policy();
        SdcMetadata md = SdcReader.read(sdc).metadata();
        if (!p.exif()) {
            md = md.without(SdcMetadata.EXIF);
        }
        if (!p.xmp()) {
            md = md.without(SdcMetadata.XMP);
        }
        String ext = ImageFiles.extension(output);
        AtomicFiles.write(output, MetadataEmbedder.embed(ImageFiles.encode(image, ext), ext, md, this::warn));
    }
}
