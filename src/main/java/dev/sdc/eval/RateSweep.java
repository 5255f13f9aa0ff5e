package dev.sdc.eval;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.ToolMain;
import dev.sdc.codec.AnalyzedImage;
import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.DecodeOptions;
import dev.sdc.codec.EncodeOptions;
import dev.sdc.codec.PaletteRateControl;
import dev.sdc.codec.RateControlled;
import dev.sdc.codec.RateTarget;
import dev.sdc.eval.metrics.Psnr;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.model.DefaultBundle;
import dev.sdc.model.DjlRuntime;
import dev.sdc.model.MemoryBudget;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures the dithering rule of {@link PaletteRateControl}: for each image, byte budgets at fixed fractions
 * of its default (256 colours, dithered) file, the rate search with each {@link PaletteRateControl.Policy},
 * then a decode with the file's defaults and PSNR against the original. Prints one CSV row per image ×
 * budget × policy and a per-fraction summary: mean PSNR of each policy, how often dithering or nearest-colour
 * mapping wins at the same budget, and the mean number of trials of each policy's search.
 *
 * <p>Usage: {@code java -cp target/sdc.jar dev.sdc.eval.RateSweep [--model DIR] IMAGE...}
 * (scripts/measure-rate.sh). A bad argument or a missing image is one line and sdc's exit code, before any work.
 */
public final class RateSweep {
    static final double[] FRACTIONS = {0.25, 0.4, 0.55, 0.7, 0.85, 1.0};
    static final String USAGE = "scripts/measure-rate.sh [--model DIR] IMAGE...";

    private RateSweep() {
    }

    public static void main(String[] args) {
        ToolMain.run("measure-rate", args, RateSweep::run);
    }

    private static void run(String[] args) {
        DjlRuntime.configure();
        Path model = null;
        List<Path> images = new ArrayList<>();
        boolean options = true;
        for (int i = 0; i < args.length; i++) {
            if (options && (args[i].equals("-h") || args[i].equals("--help"))) {
                System.out.println("usage: " + USAGE);
                return;
            } else if (options && args[i].equals("--model")) {
                if (i + 1 == args.length) {
                    throw ToolMain.usage("--model needs a bundle folder", USAGE);
                }
                model = Path.of(args[++i]);
            } else if (options && args[i].equals("--")) {
                options = false;
            } else if (options && args[i].startsWith("-")) {
                throw ToolMain.usage("unknown option '" + args[i] + "'", USAGE);
            } else {
                images.add(Path.of(args[i]));
            }
        }
        if (images.isEmpty()) {
            throw ToolMain.usage("no IMAGE given", USAGE);
        }
        for (Path path : images) { // before the model loads: a typo must not cost the images before it
            if (Files.isDirectory(path) || !Files.exists(path)) {
                throw new SdcException(ExitCode.BAD_INPUT, "cannot read " + path + ": "
                        + (Files.isDirectory(path) ? "is a folder" : "no such file"));
            }
        }
        PaletteRateControl.Policy[] policies = {PaletteRateControl.Policy.DITHER,
                PaletteRateControl.Policy.NO_DITHER, PaletteRateControl.Policy.AUTO};
        double[][] psnrSum = new double[FRACTIONS.length][policies.length];
        int[][] wins = new int[FRACTIONS.length][policies.length];
        long[] trials = new long[policies.length];
        long searches = 0;
        try (BundleCodec codec = new BundleCodec(DefaultBundle.load(model), MemoryBudget.fromEnvironment())) {
            System.out.println("image,fraction,budget,policy,colours,dither,bytes,trials,psnr");
            for (Path path : images) {
                RgbImage image = ImageFiles.read(path);
                AnalyzedImage analyzed = codec.analyze(image);
                long full = codec.compress(analyzed, EncodeOptions.defaults()).length;
                for (int f = 0; f < FRACTIONS.length; f++) {
                    long budget = (long) Math.floor(FRACTIONS[f] * full);
                    double[] psnr = new double[policies.length];
                    List<byte[]> files = new ArrayList<>();
                    for (int p = 0; p < policies.length; p++) {
                        RateControlled r = new PaletteRateControl(o -> codec.compress(analyzed, o), policies[p])
                                .encode(RateTarget.bytes(budget), image.width(), image.height(),
                                        EncodeOptions.defaults());
                        psnr[p] = Double.NaN;
                        for (int q = 0; q < p; q++) {
                            if (Arrays.equals(files.get(q), r.bytes())) {
                                psnr[p] = psnr[q]; // AUTO picks one of the other two: no second decode
                            }
                        }
                        if (Double.isNaN(psnr[p])) {
                            psnr[p] = Psnr.of(image, codec.decode(r.bytes(), DecodeOptions.defaults()));
                        }
                        files.add(r.bytes());
                        psnrSum[f][p] += psnr[p];
                        trials[p] += r.trials();
                        System.out.printf(Locale.ROOT, "%s,%.2f,%d,%s,%d,%b,%d,%d,%.3f%n", path.getFileName(),
                                FRACTIONS[f], budget, policies[p], r.options().colors(), r.options().dither(),
                                r.bytes().length, r.trials(), psnr[p]);
                    }
                    wins[f][psnr[1] > psnr[0] ? 1 : 0]++; // dithered vs nearest-colour only
                    searches++;
                }
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "summary over %d images (PSNR dB, mean; wins)%n", images.size());
        for (int f = 0; f < FRACTIONS.length; f++) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "budget %.2f x default size:", FRACTIONS[f]));
            for (int p = 0; p < policies.length; p++) {
                sb.append(String.format(Locale.ROOT, "  %s %.3f", policies[p], psnrSum[f][p] / images.size()));
                if (p < 2) {
                    sb.append(String.format(Locale.ROOT, " (%d wins)", wins[f][p]));
                }
            }
            System.out.println(sb);
        }
        for (int p = 0; p < policies.length; p++) {
            System.out.printf(Locale.ROOT, "%s: mean trials per search %.2f over %d searches%n", policies[p],
                    (double) trials[p] / searches, searches);
        }
    }
}
