package dev.sdc.model;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.ToolMain;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Bundle-author tool behind scripts/measure-memory.sh: runs one network of a bundle once, untiled, at one
 * size and prints how much resident memory the call added per pixel, the figure bundle.json's
 * {@code memory} object wants. Linux only (reads /proc/self/status). Run one size per process so the peak
 * (VmHWM) belongs to that size.
 *
 * <pre>java -cp target/sdc.jar dev.sdc.model.MemoryProbe BUNDLE_DIR encoder|decoder|unet WIDTH HEIGHT</pre>
 */
public final class MemoryProbe {
    private MemoryProbe() {
    }

    static final String USAGE = "MemoryProbe BUNDLE_DIR encoder|decoder|unet WIDTH HEIGHT  (image pixels)";

    /** A bad argument or bundle is one line on stderr and sdc's exit code (2 usage, 4 bundle), no stack trace. */
    public static void main(String[] args) {
        ToolMain.run("measure-memory", args, MemoryProbe::run);
    }

    private static void run(String[] args) throws IOException {
        DjlRuntime.configure();
        if (args.length != 4) {
            throw ToolMain.usage("expected 4 arguments, got " + args.length, USAGE);
        }
        String network = args[1];
        if (!java.util.List.of("encoder", "decoder", "unet").contains(network)) {
            throw ToolMain.usage("network must be encoder, decoder or unet, got '" + network + "'", USAGE);
        }
        int width = ToolMain.intArg("WIDTH", args[2], 1, ImageFiles.MAX_SIDE);
        int height = ToolMain.intArg("HEIGHT", args[3], 1, ImageFiles.MAX_SIDE);
        Bundle bundle = Bundle.load(Path.of(args[0]));
        if (network.equals("unet") && !bundle.hasUnet()) {
            throw new SdcException(ExitCode.USAGE, "bundle " + args[0] + " has no unet.pt");
        }
        int a = bundle.alignment();
        int f = bundle.factor();
        // rounded down to the bundle's alignment, at least one block; the line printed names the size used
        int w = Math.max(a, width / a * a);
        int h = Math.max(a, height / a * a);
        try (ModelRuntime rt = ModelRuntime.open(bundle, MemoryBudget.UNLIMITED)) {
            TorchAutoencoder ae = new TorchAutoencoder(rt);
            NoisePredictor unet = bundle.hasUnet() ? new TorchNoisePredictor(rt) : null;
            Runnable call;
            long units;
            switch (network) {
                case "encoder" -> {
                    RgbImage img = RgbImage.blank(w, h);
                    ae.encode(RgbImage.blank(a, a)); // load and warm up at the smallest size
                    call = () -> ae.encode(img);
                    units = (long) w * h;
                }
                case "decoder" -> {
                    Latent z = new Latent(bundle.channels(), h / f, w / f, new float[bundle.channels() * (h / f) * (w / f)]);
                    ae.decode(new Latent(bundle.channels(), a / f, a / f, new float[bundle.channels() * (a / f) * (a / f)]));
                    call = () -> ae.decode(z);
                    units = (long) w * h;
                }
                case "unet" -> {
                    Latent z = new Latent(bundle.channels(), h / f, w / f, new float[bundle.channels() * (h / f) * (w / f)]);
                    unet.predict(new Latent(bundle.channels(), a / f, a / f, new float[bundle.channels() * (a / f) * (a / f)]), 1);
                    call = () -> unet.predict(z, 1);
                    units = (long) (w / f) * (h / f);
                }
                default -> throw new IllegalStateException(network); // checked above
            }
            System.gc();
            long before = status("VmRSS");
            long t0 = System.nanoTime();
            call.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long peak = status("VmHWM");
            long added = Math.max(0, peak - before);
            String unit = network.equals("unet") ? "latent pixel" : "pixel";
            System.out.printf(Locale.ROOT, "%s %dx%d: rss before %d MB, peak %d MB, added %d MB, %d bytes per %s, %.2f s%n",
                    network, w, h, before >> 20, peak >> 20, added >> 20, added / units, unit, seconds);
        }
    }

    /** A /proc/self/status field in bytes. */
    static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IOException("no " + field + " in /proc/self/status");
    }
}
