package dev.sdc.image;

import java.util.List;

/**
 * What reading an image file gives: its pixels, upright and in 8-bit sRGB, and one line for every liberty
 * taken on the way (alpha composited, only the first frame of an animation kept) so the CLI can tell the user.
 */
public record DecodedImage(RgbImage image, List<String> warnings) {
    public DecodedImage {
        warnings = List.copyOf(warnings);
    }
}
