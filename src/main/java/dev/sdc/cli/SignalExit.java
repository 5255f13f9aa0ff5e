package dev.sdc.cli;

import com.sun.jna.NativeLibrary;
import dev.sdc.io.ExitCleanup;
import sun.misc.Signal;

import java.io.PrintStream;

/**
 * SIGTERM, SIGINT and SIGHUP end sdc at once with 128 + the signal's number (143, 130, 129), one line on
 * stderr, and no temporary file left ({@link ExitCleanup}). Files already written are complete; the one in
 * progress is not written.
 *
 * <p>Why not the JVM's own handling (shutdown hooks, then {@code exit(3)}): the C library's exit handlers
 * include libtorch's static destructors, and they ran while the main thread was still inside a forward.
 * That crashed the JVM (SIGSEGV in libtorch_cpu.so, exit 134, the crash report printed on stdout, where
 * {@code sdc decode x.sdc -} writes the image, and an hs_err_pid*.log in the working folder): 5 of 20 runs
 * of {@code scripts/check-signals.sh} before this class, 0 of 20 after. {@code _exit(2)} ends the process
 * without those handlers; nothing of sdc's needs them (outputs are written whole or not at all).
 */
final class SignalExit {
    private static final String[] SIGNALS = {"TERM", "INT", "HUP"};
    /** The line of {@code sdc --help}'s exit codes. */
    static final String HELP = "129/130/143  stopped by SIGHUP/SIGINT/SIGTERM (nothing partial is left)";
    /** timeout(1) signals the child and then its whole process group: the second signal must add nothing. */
    private static final java.util.concurrent.atomic.AtomicBoolean STOPPING = new java.util.concurrent.atomic.AtomicBoolean();

    private SignalExit() {
    }

    /** Installs the handlers; once, from {@code main} (not from tests that call {@link Main#run} in-process). */
    static void install() {
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), SignalExit::stop);
            } catch (IllegalArgumentException e) {
                // the JVM reserves it (-Xrs) or the platform lacks it: its default stays
            }
        }
    }

    private static void stop(Signal signal) {
        if (!STOPPING.compareAndSet(false, true)) {
            return; // the first signal's thread is already ending the process
        }
        PrintStream err = System.err;
        if (dev.sdc.io.Terminal.stderr()) {
            err.println(); // end the progress bar's (or the shell's ^C) line
        }
        err.println("sdc: stopped by SIG" + signal.getName());
        err.flush();
        ExitCleanup.deleteAll();
        halt(128 + signal.getNumber());
    }

    /** {@code _exit(code)}: no exit handlers, no static destructors, no shutdown hooks. */
    private static void halt(int code) {
        try {
            NativeLibrary.getInstance("c").getFunction("_exit").invokeVoid(new Object[] {code});
        } catch (Throwable t) {
            Runtime.getRuntime().halt(code); // JNA unusable: the JVM's halt, which still runs exit handlers
        }
    }
}
