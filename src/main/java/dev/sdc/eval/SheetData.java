package dev.sdc.eval;

import dev.sdc.image.RgbImage;

import java.util.List;

/** What one comparison sheet shows: the original and, for one sdc setting, every codec's decoding. */
public record SheetData(String image, String setting, RgbImage original, List<Panel> panels) {
    /** One decoded image with its label. */
    public record Panel(String codec, long bytes, double bpp, RgbImage decoded) {
    }
}
