package dev.sdc.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.training.ParameterStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The one place that sets up DJL and its PyTorch engine. Everything else in sdc talks to TorchScript through
 * {@link #load} and {@link #forward}.
 *
 * <p>Configuration, applied by {@link #configure()} before the first DJL class is used (and also first thing
 * in {@code dev.sdc.cli.Main}, so no code path can reach DJL unconfigured):
 * <ul>
 *   <li>{@code ai.djl.offline=true}: DJL never touches the network. libtorch is extracted from the
 *       {@code pytorch-native-cpu} jar on the class path instead of being downloaded.</li>
 *   <li>{@code DJL_CACHE_DIR} / {@code ENGINE_CACHE_DIR} (where libtorch is extracted, ~500 MB once): kept if
 *       the user set them as system property or environment variable; otherwise {@code $SDC_CACHE_DIR/djl}
 *       if the environment variable {@code SDC_CACHE_DIR} is set, else {@code ${user.home}/.cache/sdc/djl}.</li>
 *   <li>{@code ai.djl.pytorch.graph_optimizer=false} unless set: the TorchScript profiling executor would
 *       re-profile and re-optimise for every new image size, which costs time for a codec that sees each size
 *       once and makes the first calls run different kernels than later ones.</li>
 *   <li>libtorch's intra-op threads: {@value #DEFAULT_THREADS}, whatever the machine, unless {@code SDC_THREADS}
 *       (environment) or {@code sdc.threads} (system property) says otherwise; inter-op threads: 1. The thread
 *       count changes the decoded bits, so it is a constant (README "Determinism"): libtorch splits every
 *       element-wise op (SiLU, GroupNorm's affine part, ...) into one chunk per thread and computes each chunk's
 *       ragged end with scalar instead of SIMD code (1 ulp apart), and with exactly one thread it runs 1×1
 *       convolutions with another kernel (THNN instead of oneDNN). {@code OMP_NUM_THREADS} no longer matters.</li>
 *   <li>libtorch's C++ log threshold: ERROR unless {@code TORCH_CPP_LOG_LEVEL} says otherwise
 *       ({@link NativeLogLevel}), so libtorch's warnings do not mix into sdc's one-line messages on stderr.</li>
 * </ul>
 * Models run on the CPU in float32.
 */
public final class DjlRuntime {
    static final String ENGINE = "PyTorch";
    /**
     * libtorch intra-op threads unless overridden. One thread is the only count at which no op depends on how
     * libtorch splits work (README "Determinism"), and it is also the cheapest in CPU time: parallelism comes
     * from encoding or decoding several images at once. Two threads, for example, cost several times the CPU
     * time of one on a busy two-core machine (OpenMP threads spin at every barrier) for a lower wall time only
     * on an idle one.
     */
    public static final int DEFAULT_THREADS = 1;
    /** Environment variable / system property that override {@link #DEFAULT_THREADS} (and may change bits). */
    public static final String THREADS_ENV = "SDC_THREADS";
    public static final String THREADS_PROPERTY = "sdc.threads";
    private static boolean configured;

    private DjlRuntime() {
    }

    /** Sets the DJL system properties described above; idempotent and cheap. */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        }
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            int threads;
            try {
                threads = intraOpThreads();
            } catch (dev.sdc.SdcException e) {
                threads = DEFAULT_THREADS; // reported by load(), inside a command, as a usage error
            }
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Path cache = defaultCacheDir();
        for (String key : new String[] {"DJL_CACHE_DIR", "ENGINE_CACHE_DIR"}) {
            if (System.getProperty(key) == null && System.getenv(key) == null) {
                System.setProperty(key, cache.toString());
            }
        }
        configured = true;
    }

    /**
     * The intra-op thread count sdc asks libtorch for: {@code sdc.threads}, else {@code $SDC_THREADS}, else
     * {@link #DEFAULT_THREADS}.
     *
     * @throws dev.sdc.SdcException (usage) if the override is not a whole number 1..256
     */
    public static int intraOpThreads() {
        String source = THREADS_PROPERTY;
        String value = System.getProperty(THREADS_PROPERTY);
        if (value == null || value.isBlank()) {
            source = THREADS_ENV;
            value = System.getenv(THREADS_ENV);
        }
        if (value == null || value.isBlank()) {
            return DEFAULT_THREADS;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= 256) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new dev.sdc.SdcException(dev.sdc.ExitCode.USAGE,
                source + " must be a whole number of threads from 1 to 256, got '" + value + "'");
    }

    /**
     * Checks what {@link #load} reads from the environment ({@code SDC_THREADS} or {@code sdc.threads},
     * {@code TORCH_CPP_LOG_LEVEL}) without loading anything.
     *
     * @throws dev.sdc.SdcException (usage) naming the malformed setting
     */
    public static void checkEnvironment() {
        intraOpThreads();
        NativeLogLevel.requested(System.getenv(NativeLogLevel.ENV));
    }

    /** {@code $SDC_CACHE_DIR/djl}, or {@code ${user.home}/.cache/sdc/djl}. */
    static Path defaultCacheDir() {
        String sdcCache = System.getenv("SDC_CACHE_DIR");
        if (sdcCache != null && !sdcCache.isBlank()) {
            return Paths.get(sdcCache, "djl");
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "sdc", "djl");
    }

    /**
     * Loads a TorchScript file on the CPU.
     *
     * @throws ModelException naming the file if the engine or the file cannot be loaded
     */
    static Model load(Path file) {
        configure();
        intraOpThreads(); // a bad SDC_THREADS is a usage error before any network loads
        int logLevel = NativeLogLevel.requested(System.getenv(NativeLogLevel.ENV)); // likewise a bad one of these
        String fileName = file.getFileName().toString();
        if (!fileName.endsWith(".pt") || !Files.isRegularFile(file)) {
            throw new ModelException("cannot load " + file + ": not a TorchScript .pt file");
        }
        String prefix = fileName.substring(0, fileName.length() - 3);
        Model model = null;
        try {
            model = Model.newInstance(prefix, Device.cpu(), ENGINE);
            NativeLogLevel.apply(Paths.get(LibUtils.getLibtorchPath()), logLevel); // the engine has loaded libc10.so
            model.load(file.toAbsolutePath().getParent(), prefix);
            if (!(model.getBlock() instanceof PtSymbolBlock)) {
                throw new ModelException("cannot load " + file + ": not a TorchScript module");
            }
            return model;
        } catch (ModelException e) {
            model.close();
            throw e;
        } catch (Exception | LinkageError e) {
            if (model != null) {
                model.close();
            }
            throw new ModelException("cannot load " + file + " with DJL/" + ENGINE + ": " + summary(e), e);
        }
    }

    /**
     * Runs a TorchScript module's {@code forward}. The outputs belong to the manager of the first input, so
     * closing that manager frees everything the call allocated.
     *
     * @param what how messages name the network, e.g. "decoder.pt"
     */
    static NDList forward(Model model, NDManager manager, NDList inputs, String what) {
        try {
            PtSymbolBlock block = (PtSymbolBlock) model.getBlock();
            return block.forward(new ParameterStore(manager, false), inputs, false);
        } catch (RuntimeException e) {
            throw new ModelException(what + " failed: " + summary(e), e);
        }
    }

    /**
     * One line that says what went wrong. libtorch's TorchScript errors start with a generic header and a
     * serialized traceback; the useful part is the last "...Error: ..." line, so prefer that.
     */
    static String summary(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String[] lines = m.strip().split("\\R");
        for (int i = lines.length - 1; i > 0; i--) {
            String line = lines[i].strip();
            if (line.matches("[A-Za-z.]*(Error|Exception): .*")) {
                return line;
            }
        }
        return lines[0].strip();
    }
}
