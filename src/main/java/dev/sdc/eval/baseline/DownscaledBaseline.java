package dev.sdc.eval.baseline;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.image.RgbImage;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Another baseline run on a smaller copy of the image: shrink by {@code factor} (each side rounded up) with
 * {@link Resample.Filter#LANCZOS3} (anti-aliased: the kernel widened by the factor), code with the inner baseline,
 * then enlarge its decoded picture back to the original size with {@link Resample.Filter#LANCZOS3}. The file, and
 * so the bytes, is the inner codec's file of the small image; bpp is counted over the original's pixels because
 * the decoded result has the original's size. This reaches rates below the inner codec's own floor (avif2x:
 * AVIF at half size).
 *
 * <p>Filters: of box (area mean), Catmull–Rom and Lanczos-3 for shrinking and Catmull–Rom and Lanczos-3 for
 * enlarging, Lanczos-3 both ways has the best PSNR with no coding and, byte-matched at 0.025 and 0.05 bpp on
 * Kodak 1–5, the best or equal-best PSNR (by 0.03–0.07 dB over box; the filters differ little at these rates).
 * {@code dev.sdc.eval.ResampleSweep} prints the comparison (docs/EVAL.md).
 */
public final class DownscaledBaseline implements Baseline {
    /** The shrinking filter of the registered baselines. */
    public static final Resample.Filter DOWN = Resample.Filter.LANCZOS3;
    /** The enlarging filter of the registered baselines. */
    public static final Resample.Filter UP = Resample.Filter.LANCZOS3;

    private final Baseline inner;
    private final int factor;
    private final Resample.Filter down;
    private final Resample.Filter up;
    private final ThreadLocal<Double> lastDecode = ThreadLocal.withInitial(() -> Double.NaN);

    /** {@code inner} at 1/{@code factor} size with the chosen filters ({@link #DOWN}, {@link #UP}). */
    public DownscaledBaseline(Baseline inner, int factor) {
        this(inner, factor, DOWN, UP);
    }

    /** With other filters: for {@code dev.sdc.eval.ResampleSweep}, which compares them. */
    public DownscaledBaseline(Baseline inner, int factor, Resample.Filter down, Resample.Filter up) {
        if (factor < 2) {
            throw new IllegalArgumentException("downscale factor must be at least 2: " + factor);
        }
        this.inner = inner;
        this.factor = factor;
        this.down = down;
        this.up = up;
    }

    /** The size each side shrinks to: {@code ceil(side / factor)}. */
    static int shrunk(int side, int factor) {
        return (side + factor - 1) / factor;
    }

    /** The small image the inner codec sees. */
    public RgbImage downscale(RgbImage image) {
        return Resample.resize(image, shrunk(image.width(), factor), shrunk(image.height(), factor), down);
    }

    /** The inner codec's decoded picture enlarged to {@code width}×{@code height}. */
    public RgbImage upscale(RgbImage small, int width, int height) {
        return Resample.resize(small, width, height, up);
    }

    @Override
    public String name() {
        return inner.name() + factor + "x";
    }

    @Override
    public int minQuality() {
        return inner.minQuality();
    }

    @Override
    public int maxQuality() {
        return inner.maxQuality();
    }

    @Override
    public Encoded encode(SourceImage source, int quality, Path workDir) {
        RgbImage original = source.image();
        long start = System.nanoTime();
        RgbImage small = downscale(original);
        // Rewritten at every quality of a search: a few milliseconds next to one external encoder run.
        SourceImage smallSource = SourceImage.write(small, workDir, "small");
        double shrinkMs = (System.nanoTime() - start) / 1e6;
        Encoded e = inner.encode(smallSource, quality, workDir);
        // No commas: the line is one results.csv cell, and reads best unquoted.
        String command = String.format(Locale.ROOT, "resize %s %dx%d -> %dx%d; %s; decode; resize %s %dx%d -> %dx%d",
                down.label(), original.width(), original.height(), small.width(), small.height(), e.command(),
                up.label(), small.width(), small.height(), original.width(), original.height());
        return new Encoded(e.file(), e.bytes(), e.quality(), command, shrinkMs + e.encodeMillis(), original.width(),
                original.height());
    }

    @Override
    public RgbImage decode(Encoded encoded, Path workDir) {
        Encoded small = new Encoded(encoded.file(), encoded.bytes(), encoded.quality(), encoded.command(),
                encoded.encodeMillis(), shrunk(encoded.width(), factor), shrunk(encoded.height(), factor));
        RgbImage decoded = inner.decode(small, workDir);
        if (decoded.width() != small.width() || decoded.height() != small.height()) {
            throw new SdcException(ExitCode.IO, inner.name() + " decoded " + encoded.file().getFileName() + " to "
                    + decoded.width() + "x" + decoded.height() + ", expected " + small.width() + "x" + small.height());
        }
        long start = System.nanoTime();
        RgbImage out = upscale(decoded, encoded.width(), encoded.height());
        lastDecode.set(inner.lastDecodeMillis() + (System.nanoTime() - start) / 1e6);
        return out;
    }

    @Override
    public double lastDecodeMillis() {
        return lastDecode.get();
    }

    @Override
    public String version() {
        return inner.version() + "; at 1/" + factor + " size (" + down.label() + " down, " + up.label()
                + " up, in sdc)";
    }
}
