package dev.sdc.codec;

import dev.sdc.bitstream.PalettePayload;
import dev.sdc.bitstream.SdcFile;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.bitstream.SdcReader;

import java.util.HexFormat;

/**
 * What a catalogue wants to know about one .sdc file, read from its bytes (which are fully parsed and
 * checked, so a summary exists only for a valid file).
 *
 * @param width       image width in pixels
 * @param height      image height in pixels
 * @param bytes       size of the file
 * @param mode        the quantizer mode: "palette" or "scalar"
 * @param colors      palette mode: palette entries actually used by the file; scalar mode: 0
 * @param bundleName  name of the bundle the file was made with
 * @param fingerprint that bundle's fingerprint, 16 hex digits; decoding needs the same bundle
 */
public record SdcSummary(int width, int height, long bytes, String mode, int colors, String bundleName,
                         String fingerprint) {
    /**
     * Parses and summarises a .sdc file.
     *
     * @throws dev.sdc.bitstream.FormatException if the bytes are not a valid .sdc file
     */
    public static SdcSummary of(byte[] sdcFile) {
        SdcFile file = SdcReader.read(sdcFile);
        SdcHeader h = file.header();
        QuantizerMode mode = QuantizerMode.of(h.mode());
        int colors = file.payload() instanceof PalettePayload p ? p.latent().paletteSize() : 0;
        return new SdcSummary(h.width(), h.height(), sdcFile.length, mode.cliName(), colors,
                h.bundleName(), HexFormat.of().formatHex(h.fingerprint()));
    }

    /** Bits per pixel of the image. */
    public double bpp() {
        return bytes * 8.0 / ((double) width * height);
    }
}
