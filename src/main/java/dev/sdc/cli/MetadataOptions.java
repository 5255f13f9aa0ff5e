package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.bitstream.SdcMetadata;
import dev.sdc.codec.DecodedFile;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.metadata.MetadataEmbedder;
import dev.sdc.metadata.MetadataPolicy;
import dev.sdc.metadata.MetadataTransfer;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code --metadata all|none|LIST} for encode (what goes into the .sdc) and decode (what comes out). */
final class MetadataOptions {
    @Option(names = "--metadata", paramLabel = "all|none|LIST", completionCandidates = CompletionValues.Metadata.class,
            description = "Metadata to keep: all, none, or a comma list of exif, xmp, icc. Encode (default: "
                    + "exif,xmp,icc without the EXIF thumbnail and MakerNote; all keeps those too; icc keeps the "
                    + "profile's name only). Decode writes back what the file holds of these (default: all of it; "
                    + "no output format carries the ICC name, so icc adds nothing).")
    String metadata;

    MetadataPolicy policy() {
        try {
            return metadata == null ? MetadataPolicy.DEFAULT : MetadataPolicy.parse(metadata);
        } catch (IllegalArgumentException e) {
            throw new SdcException(ExitCode.USAGE, "--metadata: " + e.getMessage());
        }
    }

    /** The metadata section for {@code image}, read from the input file; warnings through {@code out} (-q silences them). */
    SdcMetadata forEncode(Path input, RgbImage image, OutputOptions out) {
        if (!policy().any()) {
            return SdcMetadata.NONE;
        }
        // Mapped, not read: the parsers touch only the pages that hold chunk headers and metadata, so a huge
        // image costs no second copy of itself in the heap (its pixels were read in bands). One mapping holds
        // at most 2 GiB; a larger file keeps no metadata, with a warning.
        try (FileChannel ch = FileChannel.open(input, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                out.warning(input + ": metadata not kept: the file is larger than " + Integer.MAX_VALUE
                        + " bytes (use --metadata none to silence this)");
                return SdcMetadata.NONE;
            }
            ByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return MetadataTransfer.prepare(mapped, input.toString(), image.width(), image.height(), policy(),
                    out::warning).metadata();
        } catch (IOException e) {
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + input + ": " + e.getMessage());
        } catch (InternalError e) {
            // the JVM's answer to a mapped page that is gone: the file was truncated while sdc read it
            throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + input + ": it changed while being read");
        }
    }

    /** The metadata section for {@code image}, from the input's bytes in memory (stdin); {@code what} names it. */
    SdcMetadata forEncode(byte[] inputBytes, String what, RgbImage image, OutputOptions out) {
        MetadataPolicy p = policy();
        if (!p.any()) {
            return SdcMetadata.NONE;
        }
        return MetadataTransfer.prepare(inputBytes, what, image.width(), image.height(), p, out::warning).metadata();
    }

    /** The decoded file as a {@code format} file (png, jpg, tif, bmp) with the metadata kept; warnings through {@code out}. */
    byte[] encodeDecoded(DecodedFile decoded, String format, OutputOptions out) {
        return MetadataEmbedder.embed(ImageFiles.encode(decoded.image(), format), format,
                policy().keep(decoded.metadata()), out::warning);
    }
}
