package dev.sdc.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sdc.image.RgbImage;

import java.util.Arrays;

/** {@link Autoencoder} over the bundle's encoder.pt / decoder.pt; one NDManager scope per call. */
final class TorchAutoencoder implements Autoencoder {
    private final ModelRuntime runtime;
    private final Bundle bundle;

    TorchAutoencoder(ModelRuntime runtime) {
        this.runtime = runtime;
        this.bundle = runtime.bundle();
    }

    @Override
    public Latent encode(RgbImage padded) {
        int w = padded.width();
        int h = padded.height();
        int a = bundle.alignment();
        if (w % a != 0 || h % a != 0) {
            throw new IllegalArgumentException("image " + w + "x" + h + " is not padded to a multiple of " + a);
        }
        int f = bundle.factor();
        long[] expected = {1, bundle.channels(), h / f, w / f};
        float[] pixels = toPlanar(padded, bundle.pixelLow(), bundle.pixelHigh());
        var model = runtime.encoder();
        try (NDManager nd = model.getNDManager().newSubManager()) {
            NDArray x = nd.create(pixels, new Shape(1, 3, h, w));
            NDArray z = single(DjlRuntime.forward(model, nd, new NDList(x), "encoder.pt"), "encoder.pt");
            checkShape(z, expected, "encoder.pt");
            return new Latent(bundle.channels(), h / f, w / f, floats(z));
        }
    }

    @Override
    public RgbImage decode(Latent raw) {
        return decode(raw, Bundle.FAITHFUL_LOOK);
    }

    @Override
    public RgbImage decode(Latent raw, String look) {
        float[] planar = decodePlanar(raw, look);
        return fromPlanar(planar, raw.width() * bundle.factor(), raw.height() * bundle.factor(),
                bundle.pixelLow(), bundle.pixelHigh());
    }

    /**
     * The output {@code [3, f·h, f·w]} of the decoder of {@code look} (null: faithful) as it comes, in
     * pixel-range units and not yet clamped.
     */
    float[] decodePlanar(Latent raw, String look) {
        bundle.requireChannels(raw);
        int f = bundle.factor();
        int h = Math.multiplyExact(raw.height(), f);
        int w = Math.multiplyExact(raw.width(), f);
        var model = runtime.decoder(look);
        String what = bundle.lookDecoder(look).map(p -> p.getFileName().toString()).orElse("decoder.pt");
        try (NDManager nd = model.getNDManager().newSubManager()) {
            NDArray z = nd.create(raw.data(), new Shape(1, raw.channels(), raw.height(), raw.width()));
            NDArray x = single(DjlRuntime.forward(model, nd, new NDList(z), what), what);
            checkShape(x, new long[] {1, 3, h, w}, what);
            return floats(x);
        }
    }

    static NDArray single(NDList out, String what) {
        if (out.size() != 1) {
            throw new ModelException(what + " returned " + out.size() + " tensors, expected 1");
        }
        return out.get(0);
    }

    static void checkShape(NDArray a, long[] expected, String what) {
        if (!Arrays.equals(a.getShape().getShape(), expected)) {
            throw new ModelException(what + " returned shape " + a.getShape() + ", expected " + new Shape(expected));
        }
    }

    static float[] floats(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** 8-bit interleaved RGB to planar {@code [3,H,W]} floats: 0 maps to lo, 255 to hi. */
    static float[] toPlanar(RgbImage img, double lo, double hi) {
        int n = img.width() * img.height();
        byte[] rgb = img.rgb();
        float[] lut = new float[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = (float) (lo + (hi - lo) * v / 255.0);
        }
        float[] out = new float[3 * n];
        for (int i = 0; i < n; i++) {
            out[i] = lut[rgb[3 * i] & 0xFF];
            out[n + i] = lut[rgb[3 * i + 1] & 0xFF];
            out[2 * n + i] = lut[rgb[3 * i + 2] & 0xFF];
        }
        return out;
    }

    /** Planar floats to 8-bit: {@code round(255·(v−lo)/(hi−lo))}, clamped to 0..255 (NaN becomes 0). */
    static RgbImage fromPlanar(float[] planar, int w, int h, double lo, double hi) {
        int n = w * h;
        byte[] rgb = new byte[3 * n];
        double k = 255.0 / (hi - lo);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                long v = Math.round((planar[c * n + i] - lo) * k);
                rgb[3 * i + c] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
