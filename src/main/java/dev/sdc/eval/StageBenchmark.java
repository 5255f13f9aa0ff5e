package dev.sdc.eval;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.DecodeOptions;
import dev.sdc.codec.EncodeOptions;
import dev.sdc.codec.StageTimings;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.model.DefaultBundle;
import dev.sdc.model.DjlRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Per-stage timing of the whole pipeline on one image, run by {@code scripts/bench}: image read, every encode
 * stage the codec times itself ({@link StageTimings}), every decode stage, image write. A warm-up round loads
 * the networks first, so the figures are steady-state; scripts/bench adds peak RSS and the same TorchScript
 * modules timed in Python torch, which it points at what this prints: the bundle's folder, the thread count,
 * the number of runs and the UNet calls of one decode.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time every stage of one encode + decode of IMAGE (milliseconds: min, median, mean).")
public final class StageBenchmark implements Callable<Integer> {
    @Parameters(paramLabel = "IMAGE", description = "The image to encode and decode.")
    Path image;

    @Option(names = {"-m", "--model"}, paramLabel = "DIR", description = "Model bundle (default: $SDC_MODEL, else the built-in one).")
    Path model;

    @Option(names = "--colors", paramLabel = "N", description = "Palette colours 1..256 (default: ${DEFAULT-VALUE}).")
    int colors = 256;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed rounds first, 0..1000 (default: ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Option(names = "--repeats", paramLabel = "N", description = "Timed rounds, 1..1000 (default: ${DEFAULT-VALUE}).")
    int repeats = 5;

    private StageBenchmark() {
    }

    /** A dev tool, but with the CLI's manners: a bad argument or input is one line and its exit code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the benchmark and returns the exit code: 2 for a bad argument, the SdcException's code for bad input. */
    static int execute(String... args) {
        DjlRuntime.configure();
        CommandLine cmd = new CommandLine(new StageBenchmark());
        cmd.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("bench: " + ex.getMessage() + " (see 'bench --help')");
            return ExitCode.USAGE.code();
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof SdcException e) {
                c.getErr().println("bench: error: " + e.getMessage());
                return e.exitCode().code();
            }
            throw ex;
        });
        return cmd.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        check("--colors", colors, 1, 256);
        check("--warmup", warmup, 0, 1000);
        check("--repeats", repeats, 1, 1000);
        Path out = Files.createTempFile("sdc-bench", ".png");
        out.toFile().deleteOnExit(); // Ctrl-C runs the shutdown hooks, not the finally below
        try (BundleCodec codec = new BundleCodec(DefaultBundle.load(model))) {
            RgbImage probe = ImageFiles.read(image);
            System.out.printf(Locale.ROOT, "image %s (%dx%d), bundle %s, %d colours, libtorch threads %d (SDC_THREADS)%n", image,
                    probe.width(), probe.height(), codec.bundleName(), colors, DjlRuntime.intraOpThreads());
            System.out.println("bundle folder: " + codec.bundle().dir());
            Map<String, List<Double>> times = new LinkedHashMap<>();
            int unetCalls = 0;
            for (int i = 0; i < warmup + repeats; i++) {
                Round round = oneRound(codec, image, out, colors);
                unetCalls = round.unetCalls();
                if (i >= warmup) {
                    round.millis().forEach((k, v) -> times.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                }
            }
            System.out.println("unet calls per decode: " + unetCalls);
            print(times, warmup, System.out);
        } finally {
            Files.deleteIfExists(out);
        }
        return 0;
    }

    private static void check(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new SdcException(ExitCode.USAGE, name + ": " + v + " is not in " + min + ".." + max);
        }
    }

    /** One round's stage times, and how many UNet calls its decode made (the file's denoise steps). */
    record Round(Map<String, Double> millis, int unetCalls) {
    }

    /** One encode + decode of the image file, every stage in milliseconds. */
    static Round oneRound(BundleCodec codec, Path image, Path out, int colors) {
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
        SdcHeader h = SdcReader.read(sdc).header();
        // the timesteps the sampler visits: fewer than the file's steps where they round to the same one
        int calls = codec.bundle().hasUnet() ? codec.bundle().schedule().timesteps(h.strength(), h.steps()).length : 0;
        return new Round(ms, calls);
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
            out.printf(Locale.ROOT, "%-26s %10.1f %10.1f %10.1f%n", e.getKey(), v[0], median(v), mean);
        }
        out.printf(Locale.ROOT, "%-26s %10s %10s %10.1f%n", "total", "", "", total);
    }

    /** The median of sorted {@code v}: the mean of the two middle values when there are an even number. */
    static double median(double[] v) {
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
