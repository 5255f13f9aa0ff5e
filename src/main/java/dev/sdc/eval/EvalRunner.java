package dev.sdc.eval;

import dev.sdc.io.ExitCleanup;
import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.codec.DecodeOptions;
import dev.sdc.codec.EncodeOptions;
import dev.sdc.codec.SdcCodec;
import dev.sdc.eval.baseline.Baseline;
import dev.sdc.eval.baseline.ByteMatcher;
import dev.sdc.eval.baseline.Encoded;
import dev.sdc.eval.baseline.SourceImage;
import dev.sdc.eval.metrics.Butteraugli;
import dev.sdc.eval.metrics.DetailRatio;
import dev.sdc.eval.metrics.MsSsim;
import dev.sdc.eval.metrics.Psnr;
import dev.sdc.eval.metrics.Ssim;
import dev.sdc.image.DecodedImage;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.ReadOptions;
import dev.sdc.image.RgbImage;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The evaluation loop, independent of the command line. sdc runs on the calling thread (one model, used
 * sequentially); baselines and metrics run on a pool of {@code jobs} threads, since they are mostly external
 * processes. Results come back in a fixed order (image, setting, sdc then baselines) whatever the timing.
 */
public final class EvalRunner {
    /**
     * The outcome: every result row, the data for the comparison sheets, the images that could not be read
     * (each was a warning; the others are measured, so a bad 24th file does not lose 23 images' work), and one
     * line for each thing the rows lack (an unreadable image, a target an image cannot reach, a baseline that
     * failed on an image), for summary.md: the warnings scroll away, the report stays.
     */
    public record Outcome(List<EvalResult> results, List<SheetData> sheets, List<Path> skipped, List<String> leftOut) {
    }

    private final SdcCodec codec;
    private final List<Baseline> baselines;
    private final Butteraugli butteraugli;
    private final PrintStream err;
    private final boolean ablations;
    private final DecodeOptions decodeOptions;
    /** Looks decoded from the same file after the first one, each as rows of their own (see {@link #lookCodec}). */
    private final List<String> extraLooks;

    public EvalRunner(SdcCodec codec, List<Baseline> baselines, Butteraugli butteraugli, PrintStream err) {
        this(codec, baselines, butteraugli, err, false);
    }

    /**
     * @param ablations also report, per image, the autoencoder alone ({@value #AUTOENCODER}: no quantisation,
     *                  bytes = the raw float32 latent) and, per setting, the same file decoded without the UNet
     *                  ({@value #NO_DENOISE})
     */
    public EvalRunner(SdcCodec codec, List<Baseline> baselines, Butteraugli butteraugli, PrintStream err,
                      boolean ablations) {
        this(codec, baselines, butteraugli, err, ablations, List.of());
    }

    /**
     * As above, decoding each sdc file with every look of {@code looks} (empty: faithful only; see
     * {@link DecodeOptions#look()}). The first look's
     * rows carry the setting's codec name ({@code sdc}); each further look's rows are {@code sdc-LOOK} (e.g.
     * {@code sdc-sharp}): the same file, so the same bytes, and one set of baselines matched to them serves all
     * looks. The ablation rows use the first look.
     */
    public EvalRunner(SdcCodec codec, List<Baseline> baselines, Butteraugli butteraugli, PrintStream err,
                      boolean ablations, List<String> looks) {
        this.decodeOptions = DecodeOptions.defaults().withLook(looks.isEmpty() ? null : looks.get(0));
        this.extraLooks = looks.size() > 1 ? List.copyOf(looks.subList(1, looks.size())) : List.of();
        this.codec = codec;
        this.baselines = List.copyOf(baselines);
        this.butteraugli = butteraugli;
        this.err = err;
        this.ablations = ablations;
    }

    /** Codec name of the autoencoder-alone rows. */
    public static final String AUTOENCODER = "sdc-autoencoder";
    /** Codec name of the rows of a further look: {@code sdc-sharp} for the palette codec's sharp look. */
    public static String lookCodec(String settingCodec, String look) {
        return settingCodec + "-" + look;
    }

    /** Codec name of the rows decoded without denoising. */
    public static final String NO_DENOISE = "sdc-no-denoise";

    /**
     * Evaluates every image at every palette size.
     *
     * @param sheets how many images (spread evenly over the sorted inputs) get comparison sheets
     */
    public Outcome run(List<Path> images, List<Integer> colors, int jobs, int sheets) {
        return runSettings(images, colors.stream().map(SdcSetting::palette).toList(), jobs, sheets);
    }

    /**
     * Evaluates every image at every sdc setting (palette sizes, scalar bit-rate targets). A scalar target
     * an image cannot reach (its smallest file is larger) is a warning and leaves that row out.
     */
    public Outcome runSettings(List<Path> images, List<SdcSetting> settings, int jobs, int sheets) {
        Path tmp;
        try {
            tmp = Files.createTempDirectory("sdc-eval-");
            ExitCleanup.register(tmp);
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "cannot create a temporary folder: " + e.getMessage());
        }
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        // each queued job holds decoded images: when the baselines lag behind sdc, the main thread waits
        // rather than queueing a whole folder's worth of pictures
        Semaphore slots = new Semaphore(4 * jobs);
        Set<Integer> sheetImages = sheetIndices(images.size(), sheets);
        Map<String, List<SheetData.Panel>> panels = new ConcurrentHashMap<>();
        Map<String, RgbImage> originals = new LinkedHashMap<>();
        List<Future<EvalResult>> futures = new ArrayList<>();
        List<Path> skipped = new ArrayList<>();
        List<String> leftOut = Collections.synchronizedList(new ArrayList<>());
        boolean warm = false;
        boolean sheetOwed = false;
        long total = (long) images.size() * settings.size() * (1 + baselines.size());
        try (Progress progress = new Progress("sdc eval", total, err)) {
            for (int i = 0; i < images.size(); i++) {
                Path path = images.get(i);
                String name = path.getFileName().toString();
                progress.message(name);
                RgbImage original;
                try {
                    // encode's liberties (first frame of an animation, alpha composited) are warned of here too:
                    // the report's numbers are for the picture sdc read, and the reader should know which one that is
                    DecodedImage read = ImageFiles.read(path, ReadOptions.DEFAULTS);
                    read.warnings().forEach(w -> err.println("sdc: warning: " + path + ": " + w));
                    original = read.image();
                } catch (SdcException e) {
                    if (e.exitCode() != ExitCode.BAD_INPUT) {
                        throw e;
                    }
                    err.println("sdc: warning: " + e.getMessage() + "; skipped");
                    skipped.add(path);
                    // its sheet goes to the next readable image: --sheets 1 must not end with none
                    sheetOwed |= sheetImages.contains(i);
                    leftOut.add(e.getMessage() + ": not in the report");
                    for (long k = 0; k < (long) settings.size() * (1 + baselines.size()); k++) {
                        progress.step();
                    }
                    continue;
                }
                if (!warm && !settings.isEmpty()) {
                    warm = true;
                    warmUp(original, settings.get(0)); // else the first row's times include the JIT and libtorch's start
                }
                Path dir = Files.createDirectories(tmp.resolve("img" + i));
                SourceImage source = SourceImage.write(original, dir, "original");
                boolean sheet = sheetImages.contains(i) || sheetOwed;
                sheetOwed = false;
                if (ablations) {
                    long t0 = System.nanoTime();
                    RgbImage reconstructed = codec.autoencode(original);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    long rawLatentBytes = rawLatentBytes(original);
                    Path work = Files.createDirectories(dir.resolve("autoencoder"));
                    futures.add(submit(pool, slots, () -> measure(name, AUTOENCODER, "unquantized", source, reconstructed,
                            // encode and decode are one timed call: encode_ms holds it, decode_ms stays empty (not 0)
                            rawLatentBytes, ms, Double.NaN, -1, rawLatentBytes, "", "SdcCodec.autoencode (float32 latent, no quantisation)", work)));
                }
                for (SdcSetting s : settings) {
                    String setting = s.setting();
                    String key = name + "\u0000" + s.label();
                    long t0 = System.nanoTime();
                    byte[] encoded;
                    try {
                        encoded = s.encoder().encode(codec, original);
                    } catch (SdcException e) {
                        if (e.exitCode() != ExitCode.TARGET_UNREACHABLE) {
                            throw e;
                        }
                        err.println("sdc: warning: " + name + ", " + s.codec() + " " + setting + ": " + e.getMessage());
                        leftOut.add(name + ", " + s.codec() + " " + setting + ": " + e.getMessage()
                                + " (no row, nor baselines matched to it)");
                        for (int k = 0; k <= baselines.size(); k++) {
                            progress.step();
                        }
                        continue;
                    }
                    long t1 = System.nanoTime();
                    if (sheet) {
                        originals.put(key, original);
                    }
                    RgbImage decoded = codec.decode(encoded, decodeOptions);
                    long t2 = System.nanoTime();
                    progress.step();
                    String decodeCall = decodeCall(decodeOptions.look());
                    String command = s.call() + "; " + decodeCall + "; bundle=" + codec.bundleName();
                    Path work = Files.createDirectories(dir.resolve(setting + "-" + s.codec()));
                    futures.add(submit(pool, slots, () -> {
                        EvalResult r = measure(name, s.codec(), setting, source, decoded, encoded.length,
                                (t1 - t0) / 1e6, (t2 - t1) / 1e6, -1, encoded.length, "", command, work);
                        if (sheet) {
                            addPanel(panels, key, r, decoded);
                        }
                        return r;
                    }));
                    for (String look : extraLooks) {
                        DecodeOptions lookOptions = decodeOptions.withLook(look);
                        long l0 = System.nanoTime();
                        RgbImage other = codec.decode(encoded, lookOptions);
                        double lookMs = (System.nanoTime() - l0) / 1e6;
                        String lookCodec = lookCodec(s.codec(), look);
                        String lookCommand = command.replace(decodeCall, decodeCall(look));
                        Path lookWork = Files.createDirectories(dir.resolve(setting + "-" + lookCodec));
                        futures.add(submit(pool, slots, () -> {
                            EvalResult r = measure(name, lookCodec, setting, source, other, encoded.length,
                                    (t1 - t0) / 1e6, lookMs, -1, encoded.length, "", lookCommand, lookWork);
                            if (sheet) {
                                addPanel(panels, key, r, other);
                            }
                            return r;
                        }));
                    }
                    // after the sdc row: the rows come back as the class comment says (sdc, its ablation, baselines)
                    if (ablations) {
                        long t3 = System.nanoTime();
                        RgbImage plain = codec.decode(encoded, new DecodeOptions(null, null, false, decodeOptions.look()));
                        double ms = (System.nanoTime() - t3) / 1e6;
                        Path plainWork = Files.createDirectories(dir.resolve(s.codec() + "-" + setting + "-no-denoise"));
                        futures.add(submit(pool, slots, () -> measure(name, s.noDenoiseCodec(), setting, source, plain, encoded.length,
                                (t1 - t0) / 1e6, ms, -1, encoded.length, "", command.replace(decodeCall,
                                decodeCall.replace("defaults", "no denoise")), plainWork)));
                    }
                    for (Baseline b : baselines) {
                        Path bwork = Files.createDirectories(dir.resolve(s.codec() + "-" + setting + "-" + b.name()));
                        futures.add(submit(pool, slots, () -> {
                            try {
                                return baseline(name, setting, source, encoded.length, b, bwork, sheet ? panels : null, key);
                            } catch (SdcException e) {
                                // which image and setting: the tool's own message names only files in the
                                // scratch folder, which is gone once the run ends
                                throw e.exitCode() != ExitCode.IO ? e : new SdcException(ExitCode.IO,
                                        name + ", " + b.name() + " matched to " + s.codec() + " " + setting + ": "
                                                + e.getMessage(), e);
                            } finally {
                                progress.step();
                            }
                        }));
                    }
                }
            }
            List<EvalResult> results = new ArrayList<>();
            for (Future<EvalResult> f : futures) {
                EvalResult r = await(f, leftOut);
                if (r != null) {
                    results.add(r);
                }
            }
            return new Outcome(results, sheets(originals, panels), List.copyOf(skipped), List.copyOf(leftOut));
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "temporary folder: " + e.getMessage());
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES); // interrupted tools are killed; let them go first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteRecursively(tmp);
        }
    }

    /** Submits {@code job} once one of {@code slots} is free; the job frees it when done. */
    private static Future<EvalResult> submit(ExecutorService pool, Semaphore slots, Callable<EvalResult> job) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SdcException(ExitCode.INTERNAL, "interrupted");
        }
        return pool.submit(() -> {
            try {
                return job.call();
            } finally {
                slots.release();
            }
        });
    }

    /** Size of the float32 latent the bundle makes of this image (for the autoencoder-alone rows). */
    private long rawLatentBytes(RgbImage image) {
        int[] shape = codec.latentShape(image.width(), image.height());
        return 4L * shape[0] * shape[1] * shape[2];
    }

    private EvalResult baseline(String name, String setting, SourceImage source, long target, Baseline b, Path work,
                                Map<String, List<SheetData.Panel>> panels, String key) {
        ByteMatcher.Match<Encoded> m = ByteMatcher.lowestQualityAtLeast(target, b.minQuality(), b.maxQuality(),
                q -> b.encode(source, q, work), Encoded::bytes);
        Encoded e = m.result();
        RgbImage decoded;
        try {
            decoded = b.decode(e, work);
        } catch (SdcException x) {
            // the tool wrote something that is no image: that tool's failure, as a failed run of it
            throw x.exitCode() != ExitCode.BAD_INPUT ? x : new SdcException(ExitCode.IO, b.name()
                    + "'s decoder wrote no readable image (" + x.getMessage() + ")", x);
        }
        RgbImage original = source.image();
        if (decoded.width() != original.width() || decoded.height() != original.height()) {
            throw new SdcException(ExitCode.IO, b.name() + "'s decoder wrote a " + decoded.width() + "x"
                    + decoded.height() + " image, expected " + original.width() + "x" + original.height());
        }
        EvalResult r = measure(name, b.name(), setting, source, decoded, e.bytes(), e.encodeMillis(),
                b.lastDecodeMillis(), e.quality(), target, m.fit().label(), e.command(), work);
        if (panels != null) {
            addPanel(panels, key, r, decoded);
        }
        return r;
    }

    private EvalResult measure(String name, String codecName, String setting, SourceImage source, RgbImage decoded,
                               long bytes, double encodeMs, double decodeMs, int quality, long target, String fit,
                               String command, Path work) {
        RgbImage original = source.image();
        if (decoded.width() != original.width() || decoded.height() != original.height()) {
            throw new SdcException(ExitCode.INTERNAL, codecName + " decoded " + name + " to " + decoded.width() + "x"
                    + decoded.height() + ", expected " + original.width() + "x" + original.height());
        }
        double butter = Double.NaN;
        if (butteraugli.available()) {
            Path png = work.resolve("decoded-for-butteraugli.png");
            ImageFiles.write(decoded, png);
            butter = butteraugli.score(source.png(), png);
        }
        double bpp = bytes * 8.0 / ((double) original.width() * original.height());
        return new EvalResult(name, codecName, setting, bytes, bpp, Psnr.capped(original, decoded),
                Ssim.of(original, decoded), MsSsim.of(original, decoded), butter, DetailRatio.of(original, decoded),
                encodeMs, decodeMs, quality,
                target, fit, command);
    }

    /** A row's decoded image as a panel of its image and setting's sheet (rows of one sheet finish on any thread). */
    private static void addPanel(Map<String, List<SheetData.Panel>> panels, String key, EvalResult r, RgbImage decoded) {
        panels.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()))
                .add(new SheetData.Panel(r.codec(), r.bytes(), r.bpp(), decoded));
    }

    /** The decode call a row's command names: the file's own defaults, with a look other than faithful named. */
    private static String decodeCall(String look) {
        return look.equals(DecodeOptions.defaults().look()) ? "decode(defaults)" : "decode(defaults, look=" + look + ")";
    }

    private List<SheetData> sheets(Map<String, RgbImage> originals, Map<String, List<SheetData.Panel>> panels) {
        List<String> order = new ArrayList<>();
        for (String codecName : List.of(SdcSetting.PALETTE_CODEC, SdcSetting.SCALAR_CODEC)) {
            order.add(codecName);
            extraLooks.forEach(look -> order.add(lookCodec(codecName, look))); // the looks side by side
        }
        baselines.forEach(b -> order.add(b.name()));
        List<SheetData> out = new ArrayList<>();
        for (Map.Entry<String, RgbImage> e : originals.entrySet()) {
            List<SheetData.Panel> ps = new ArrayList<>(panels.getOrDefault(e.getKey(), List.of()));
            ps.sort(Comparator.comparingInt(p -> order.indexOf(p.codec())));
            String[] parts = e.getKey().split("\u0000");
            out.add(new SheetData(parts[0], parts[1], e.getValue(), ps));
        }
        return out;
    }

    /** {@code count} indices spread evenly over {@code n} images (all of them if count ≥ n). */
    static Set<Integer> sheetIndices(int n, int count) {
        Set<Integer> out = new TreeSet<>();
        int k = Math.min(n, Math.max(0, count));
        for (int j = 0; j < k; j++) {
            out.add((int) ((long) j * n / k));
        }
        return out;
    }

    /** One encode and decode whose times are thrown away (a target the image cannot reach is no matter here). */
    private void warmUp(RgbImage image, SdcSetting setting) {
        try {
            codec.decode(setting.encoder().encode(codec, image), decodeOptions);
        } catch (SdcException e) {
            if (e.exitCode() != ExitCode.TARGET_UNREACHABLE) {
                throw e;
            }
        }
    }

    private EvalResult await(Future<EvalResult> f, List<String> leftOut) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SdcException(ExitCode.INTERNAL, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SdcException s && s.exitCode() == ExitCode.IO) {
                // A baseline tool failed on one image: report it and keep the rest of the evaluation.
                err.println("sdc: warning: " + s.getMessage());
                leftOut.add(s.getMessage() + " (no row)");
                return null;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new SdcException(ExitCode.INTERNAL, "evaluation failed: " + cause, cause);
        }
    }

    /** The scratch folder is deleted at the end, and by {@link ExitCleanup} if a signal ends the run. */
    static void deleteRecursively(Path root) {
        ExitCleanup.deleteRecursively(root);
        ExitCleanup.forget(root);
    }
}
