package dev.sdc.eval.baseline;

import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.io.AtomicFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An original image written once into the work folder as lossless PNG and binary PPM, the inputs the
 * external encoders accept (cjpeg from libjpeg-turbo 2.1 reads PPM/BMP but not PNG).
 */
public record SourceImage(RgbImage image, Path png, Path ppm) {
    public static SourceImage write(RgbImage image, Path dir, String stem) {
        Path png = dir.resolve(stem + ".png");
        Path ppm = dir.resolve(stem + ".ppm");
        ImageFiles.write(image, png);
        AtomicFiles.write(ppm, toPpm(image));
        return new SourceImage(image, png, ppm);
    }

    static byte[] toPpm(RgbImage image) {
        byte[] header = ("P6\n" + image.width() + " " + image.height() + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + image.rgb().length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(image.rgb(), 0, out, header.length, image.rgb().length);
        return out;
    }
}
