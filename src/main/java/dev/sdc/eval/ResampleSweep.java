package dev.sdc.eval;

import dev.sdc.io.ExitCleanup;
import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.eval.baseline.Baseline;
import dev.sdc.eval.baseline.Baselines;
import dev.sdc.eval.baseline.ByteMatcher;
import dev.sdc.eval.baseline.DownscaledBaseline;
import dev.sdc.eval.baseline.Encoded;
import dev.sdc.eval.baseline.Resample;
import dev.sdc.eval.baseline.SourceImage;
import dev.sdc.eval.metrics.Psnr;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares the resampling filters of avif2x ({@link DownscaledBaseline}): every shrink filter × enlarge filter,
 * each image byte-matched (the eval's rule: lowest quality whose .avif is at least the target) to each target
 * bpp, counted over the original's pixels; PSNR of the enlarged result against the original. Also prints each
 * pair's PSNR with no coding at all (shrink then enlarge). One CSV row per image × target × pair, then the means.
 *
 * <p>Usage: {@code java -cp target/classes dev.sdc.eval.ResampleSweep [--bpp 0.025,0.05] IMAGE...}
 */
public final class ResampleSweep {
    private static final Resample.Filter[] DOWN = {Resample.Filter.BOX, Resample.Filter.CUBIC, Resample.Filter.LANCZOS3};
    private static final Resample.Filter[] UP = {Resample.Filter.CUBIC, Resample.Filter.LANCZOS3};

    private ResampleSweep() {
    }

    /** A dev tool, but with the CLI's manners: a bad argument or input is one line and its exit code. */
    public static void main(String[] args) throws IOException {
        try {
            run(args);
        } catch (SdcException e) {
            System.err.println("resample-sweep: error: " + e.getMessage());
            System.exit(e.exitCode().code());
        }
    }

    /** The targets of {@code --bpp A,B,...}: positive finite numbers, else a usage error. */
    static List<Double> parseTargets(String list) {
        List<Double> targets = new ArrayList<>();
        for (String t : list.split(",", -1)) {
            double v;
            try {
                v = Double.parseDouble(t.strip());
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
                throw new SdcException(ExitCode.USAGE, "--bpp: '" + t + "' is not a positive number (e.g. --bpp 0.025,0.05)");
            }
            targets.add(v);
        }
        return targets;
    }

    private static void run(String[] args) throws IOException {
        List<Double> targets = new ArrayList<>(List.of(0.025, 0.05));
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--bpp") && i + 1 < args.length) {
                targets = parseTargets(args[++i]);
            } else {
                images.add(Path.of(args[i]));
            }
        }
        List<Baseline> found = Baselines.find(List.of("avif"), System.err::println);
        if (found.isEmpty() || images.isEmpty()) {
            throw new SdcException(ExitCode.USAGE, "needs avifenc/avifdec and at least one image");
        }
        Baseline avif = found.get(0);
        Path tmp = Files.createTempDirectory("sdc-resample-sweep-");
        ExitCleanup.register(tmp);
        int pairs = DOWN.length * UP.length;
        double[][] psnr = new double[targets.size() + 1][pairs];
        double[][] bpp = new double[targets.size() + 1][pairs];
        int[][] off = new int[targets.size()][pairs];
        System.out.println("image,target_bpp,down,up,quality,bytes,bpp,fit,psnr");
        try {
            for (Path path : images) {
                RgbImage original = ImageFiles.read(path);
                double pixels = (double) original.width() * original.height();
                for (int d = 0; d < DOWN.length; d++) {
                    for (int u = 0; u < UP.length; u++) {
                        int p = d * UP.length + u;
                        DownscaledBaseline b = new DownscaledBaseline(avif, 2, DOWN[d], UP[u]);
                        RgbImage small = b.downscale(original);
                        psnr[targets.size()][p] += Psnr.of(original, b.upscale(small, original.width(), original.height()));
                        for (int t = 0; t < targets.size(); t++) {
                            Path work = Files.createDirectories(tmp.resolve(images.indexOf(path) + "-" + p + "-" + t));
                            SourceImage source = SourceImage.write(original, work, "original");
                            long target = (long) Math.ceil(targets.get(t) * pixels / 8);
                            ByteMatcher.Match<Encoded> m = ByteMatcher.lowestQualityAtLeast(target, b.minQuality(),
                                    b.maxQuality(), q -> b.encode(source, q, work), Encoded::bytes);
                            double s = Psnr.of(original, b.decode(m.result(), work));
                            double rate = m.result().bytes() * 8 / pixels;
                            psnr[t][p] += s;
                            bpp[t][p] += rate;
                            off[t][p] += m.fit() == ByteMatcher.Fit.OK ? 0 : 1;
                            System.out.printf(Locale.ROOT, "%s,%.4f,%s,%s,%d,%d,%.5f,%s,%.3f%n", path.getFileName(),
                                    targets.get(t), DOWN[d].label(), UP[u].label(), m.quality(), m.result().bytes(),
                                    rate, m.fit().label(), s);
                        }
                    }
                }
            }
        } finally {
            EvalRunner.deleteRecursively(tmp);
        }
        int n = images.size();
        System.out.println();
        System.out.printf(Locale.ROOT, "means over %d images (avif at half size, byte-matched per image)%n", n);
        for (int p = 0; p < pairs; p++) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "down %-8s up %-8s  uncoded PSNR %.3f",
                    DOWN[p / UP.length].label(), UP[p % UP.length].label(), psnr[targets.size()][p] / n));
            for (int t = 0; t < targets.size(); t++) {
                sb.append(String.format(Locale.ROOT, "  | target %.4f: bpp %.4f PSNR %.3f (%d not ok)", targets.get(t),
                        bpp[t][p] / n, psnr[t][p] / n, off[t][p]));
            }
            System.out.println(sb);
        }
    }
}
