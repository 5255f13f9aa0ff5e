package dev.sdc.eval;

import dev.sdc.io.Terminal;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * Progress on stderr. On a terminal the bar redraws in place; without one (CI, batch, redirected output)
 * it prints a plain line every few seconds instead of carriage-return redraws, so logs stay readable.
 */
final class Progress implements AutoCloseable {
    private static final int WIDTH = 100;
    private final ProgressBar bar;

    Progress(String task, long total, PrintStream err) {
        boolean tty = err == System.err && Terminal.stderr(); // a test's stream is no terminal
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total);
        if (tty) {
            // A fixed width keeps progressbar from probing the terminal through JLine.
            b.setConsumer(new ConsoleProgressBarConsumer(err, WIDTH)).setUpdateIntervalMillis(500);
        } else {
            // plain ASCII: the default style's colour codes and block characters are noise in a log file
            b.setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new DelegatingProgressBarConsumer(new Deduplicated(err), WIDTH))
                    .setUpdateIntervalMillis(10_000);
        }
        bar = b.build();
    }

    /**
     * Drops a line equal to the one before: progressbar 0.10.1 prints its final line twice through a
     * DelegatingProgressBarConsumer (ctongfei/progressbar#171, open).
     */
    private static final class Deduplicated implements java.util.function.Consumer<String> {
        private final PrintStream err;
        private String last;

        Deduplicated(PrintStream err) {
            this.err = err;
        }

        @Override
        public synchronized void accept(String line) {
            if (!line.equals(last)) {
                last = line;
                err.println(line);
            }
        }
    }

    void step() {
        bar.step();
    }

    void message(String m) {
        bar.setExtraMessage(m);
    }

    @Override
    public void close() {
        bar.close();
    }
}
