package dev.sdc.codec;

import dev.sdc.bitstream.SdcMetadata;
import dev.sdc.image.RgbImage;

/**
 * A decoded .sdc file: the pixels and the photo metadata it carried, from one parse of the file (a decoder
 * that writes the metadata back into PNG/JPEG/TIFF needs both).
 */
public record DecodedFile(RgbImage image, SdcMetadata metadata) {
}
