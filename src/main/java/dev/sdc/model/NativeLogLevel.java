package dev.sdc.model;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * libtorch's own C++ log threshold, which sdc raises to ERROR so that libtorch's warnings do not bury sdc's
 * one-line messages on stderr (batch scripts read them). Without this, some CPUs get "Could not initialize
 * NNPACK! Reason: Unsupported hardware." several times per decode, and any TorchScript {@code warnings.warn}
 * reaches stderr as well; neither changes a result.
 *
 * <p>Why through JNA: c10 (libtorch's core library) logs with its own MessageLogger, which drops every message
 * below the global {@code int FLAGS_caffe2_log_level} (INFO 0, WARNING 1, ERROR 2, FATAL 3; default WARNING).
 * libtorch reads {@code TORCH_CPP_LOG_LEVEL} into that flag only from {@code c10::initLogging()}, which PyTorch's
 * Python module calls and DJL does not, so the variable does nothing in a JVM and no DJL option sets the level.
 * libc10.so exports the flag as a data symbol; JNA (already on the class path for DJL) writes it.
 *
 * <p>A user who wants libtorch's messages back sets {@code TORCH_CPP_LOG_LEVEL} as for PyTorch itself
 * ({@code INFO|WARNING|ERROR|FATAL} or {@code 0..3}); sdc then applies that level instead of ERROR.
 */
final class NativeLogLevel {
    static final String ENV = "TORCH_CPP_LOG_LEVEL";
    static final String SYMBOL = "FLAGS_caffe2_log_level";
    static final int ERROR = 2;
    private static final String[] NAMES = {"INFO", "WARNING", "ERROR", "FATAL"};
    private static boolean applied;

    private NativeLogLevel() {
    }

    /**
     * The level sdc asks for: {@link #ERROR}, or {@code TORCH_CPP_LOG_LEVEL} if set.
     *
     * @throws dev.sdc.SdcException (usage) if {@code TORCH_CPP_LOG_LEVEL} is not one of the values above
     */
    static int requested(String env) {
        if (env == null || env.isBlank()) {
            return ERROR;
        }
        String v = env.strip().toUpperCase(Locale.ROOT);
        for (int level = 0; level < NAMES.length; level++) {
            if (v.equals(NAMES[level]) || v.equals(Integer.toString(level))) {
                return level;
            }
        }
        throw new dev.sdc.SdcException(dev.sdc.ExitCode.USAGE,
                ENV + " must be INFO, WARNING, ERROR, FATAL or 0..3, got '" + env + "'");
    }

    /**
     * Sets libtorch's log threshold once per process, after the engine has loaded libc10.so. Best effort: a
     * libtorch without the symbol keeps its own default, and nothing else changes.
     *
     * @param libtorchDir the folder DJL loaded libtorch from
     * @param level       {@link #requested}'s level
     */
    static synchronized void apply(Path libtorchDir, int level) {
        if (applied) {
            return;
        }
        applied = true;
        Path c10 = libtorchDir.resolve("libc10.so");
        if (!Files.isRegularFile(c10)) {
            return;
        }
        try {
            // dlopen of an already loaded library returns the same handle: this is the flag libtorch reads.
            Pointer flag = NativeLibrary.getInstance(c10.toString()).getGlobalVariableAddress(SYMBOL);
            flag.setInt(0, level);
        } catch (UnsatisfiedLinkError e) {
            // another libtorch build: its warnings stay, which is cosmetic
        }
    }
}
