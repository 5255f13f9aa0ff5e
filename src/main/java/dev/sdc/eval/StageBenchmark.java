package dev.sdc.eval;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.DecodeOptions;
import dev.sdc.codec.EncodeOptions;
import dev.sdc.codec.StageTimings;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.model.DefaultBundle;
import dev.sdc.model.DjlRuntime;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-stage timing of the whole pipeline on one image, run by {@code scripts/bench}: image read, every encode
 * stage the codec times itself ({@link StageTimings}), every decode stage, image write. A warm-up round loads
 * the networks first, so the figures are steady-state; scripts/bench adds peak RSS and the same TorchScript
 * modules timed in Python torch.
 *
 * <p>Usage: {@code StageBenchmark IMAGE [--model DIR] [--colors N] [--warmup N] [--repeats N]}
 */
public final class StageBenchmark {
    private StageBenchmark() {
    }

    /** A dev tool, but with the CLI's manners: a bad argument or input is one line and its exit code. */
    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (SdcException e) {
            System.err.println("bench: error: " + e.getMessage());
            System.exit(e.exitCode().code());
        }
    }

    private static void run(String[] args) throws Exception {
        DjlRuntime.configure();
        if (args.length < 1) {
            throw new SdcException(ExitCode.USAGE, "usage: StageBenchmark IMAGE [--model DIR] [--colors N] [--warmup N] [--repeats N]");
        }
        Path image = Path.of(args[0]);
        String model = stringArg(args, "--model", null);
        int colors = intArg(args, "--colors", "256", 1, 256);
        int warmup = intArg(args, "--warmup", "1", 0, 1000);
        int repeats = intArg(args, "--repeats", "5", 1, 1000);
        Path out = Files.createTempFile("sdc-bench", ".png");
        try (BundleCodec codec = new BundleCodec(DefaultBundle.load(model == null ? null : Path.of(model)))) {
            RgbImage probe = ImageFiles.read(image);
            System.out.printf(Locale.ROOT, "image %s (%dx%d), bundle %s, %d colours, libtorch threads %d (SDC_THREADS)%n", image,
                    probe.width(), probe.height(), codec.bundleName(), colors, dev.sdc.model.DjlRuntime.intraOpThreads());
            Map<String, List<Double>> times = new LinkedHashMap<>();
            for (int i = 0; i < warmup + repeats; i++) {
                Map<String, Double> round = oneRound(codec, image, out, colors);
                if (i >= warmup) {
                    round.forEach((k, v) -> times.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                }
            }
            print(times, warmup, System.out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** One encode + decode of the image file, every stage in milliseconds. */
    static Map<String, Double> oneRound(BundleCodec codec, Path image, Path out, int colors) {
        Map<String, Double> ms = new LinkedHashMap<>();
        StageTimings io = new StageTimings();
        RgbImage img = io.time("image-read", () -> ImageFiles.read(image));
        ms.putAll(io.millis());
        byte[] sdc = codec.encode(img, new EncodeOptions(colors, true));
        codec.lastTimings().millis().forEach((k, v) -> ms.put("encode/" + k, v));
        RgbImage back = codec.decode(sdc, DecodeOptions.defaults());
        codec.lastTimings().millis().forEach((k, v) -> ms.put("decode/" + k, v));
        StageTimings write = new StageTimings();
        write.time("image-write", () -> ImageFiles.write(back, out));
        ms.putAll(write.millis());
        return ms;
    }

    static void print(Map<String, List<Double>> times, int warmup, PrintStream out) {
        int repeats = times.values().stream().mapToInt(List::size).max().orElse(0);
        out.printf(Locale.ROOT, "%-26s %10s %10s %10s  (ms, %d runs after %d warm-up)%n", "stage", "min", "median", "mean",
                repeats, warmup);
        double total = 0;
        for (Map.Entry<String, List<Double>> e : times.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            total += mean;
            out.printf(Locale.ROOT, "%-26s %10.1f %10.1f %10.1f%n", e.getKey(), v[0], v[v.length / 2], mean);
        }
        out.printf(Locale.ROOT, "%-26s %10s %10s %10.1f%n", "total", "", "", total);
    }

    /** {@code name}'s integer value in {@code min..max}, else a usage error (not a NumberFormatException trace). */
    static int intArg(String[] args, String name, String fallback, int min, int max) {
        String raw = stringArg(args, name, fallback);
        int v;
        try {
            v = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new SdcException(ExitCode.USAGE, name + ": '" + raw + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw new SdcException(ExitCode.USAGE, name + ": " + v + " is not in " + min + ".." + max);
        }
        return v;
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
