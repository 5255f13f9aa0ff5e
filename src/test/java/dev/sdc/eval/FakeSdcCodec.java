package dev.sdc.eval;

import dev.sdc.codec.DecodeOptions;
import dev.sdc.codec.EncodeOptions;
import dev.sdc.codec.SdcCodec;
import dev.sdc.image.RgbImage;

import java.nio.ByteBuffer;

/**
 * Stands in for the real codec: box-downsamples by a factor that shrinks with the palette size (fewer colours,
 * smaller file) and stores the raw pixels; decoding upsamples by pixel repetition. Deterministic and model-free.
 */
final class FakeSdcCodec implements SdcCodec {
    boolean closed;
    /** The looks every decode asked for, in call order. */
    final java.util.List<String> looks = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    static int factor(int colors) {
        return colors <= 16 ? 4 : colors <= 64 ? 3 : 2;
    }

    @Override
    public byte[] encode(RgbImage image, EncodeOptions options) {
        int f = factor(options.colors());
        int w = (image.width() + f - 1) / f;
        int h = (image.height() + f - 1) / f;
        ByteBuffer out = ByteBuffer.allocate(12 + 3 * w * h);
        out.putInt(image.width()).putInt(image.height()).putInt(f);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    int n = 0;
                    for (int dy = 0; dy < f && y * f + dy < image.height(); dy++) {
                        for (int dx = 0; dx < f && x * f + dx < image.width(); dx++) {
                            sum += image.get(x * f + dx, y * f + dy, c);
                            n++;
                        }
                    }
                    out.put((byte) Math.round((float) sum / n));
                }
            }
        }
        return out.array();
    }

    @Override
    public RgbImage decode(byte[] sdcFile, DecodeOptions options) {
        looks.add(options.look());
        ByteBuffer in = ByteBuffer.wrap(sdcFile);
        int width = in.getInt();
        int height = in.getInt();
        int f = in.getInt();
        int w = (width + f - 1) / f;
        RgbImage out = RgbImage.blank(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    out.set(x, y, c, sdcFile[12 + 3 * ((y / f) * w + x / f) + c] & 0xFF);
                }
            }
        }
        return out;
    }

    @Override
    public RgbImage autoencode(RgbImage image) {
        return decode(encode(image, new EncodeOptions(256, false)), DecodeOptions.defaults());
    }

    @Override
    public int[] latentShape(int width, int height) {
        return new int[] {3, (height + 1) / 2, (width + 1) / 2};
    }

    @Override
    public String bundleName() {
        return "fake-downsampler";
    }

    @Override
    public void close() {
        closed = true;
    }
}
