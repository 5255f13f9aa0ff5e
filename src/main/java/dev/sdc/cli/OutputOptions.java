package dev.sdc.cli;

import dev.sdc.ExitCode;
import dev.sdc.Messages;
import dev.sdc.SdcException;
import dev.sdc.codec.StageTimings;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code -q/--quiet} and {@code -v/--verbose}; reports go to stderr so stdout stays clean for scripts. */
final class OutputOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Also print the time each pipeline stage took.")
    boolean verbose;

    /** -q and -v contradict each other; a script that passes both has a bug worth hearing about. */
    void check() {
        if (quiet && verbose) {
            throw new SdcException(ExitCode.USAGE, "-q/--quiet and -v/--verbose are mutually exclusive; give one");
        }
    }

    void report(String line) {
        if (!quiet) {
            spec.commandLine().getErr().println(Messages.oneLine(line));
        }
    }

    /** A one-line {@code sdc: warning: ...} on stderr (silenced by -q like every report). */
    void warning(String line) {
        if (!quiet) {
            spec.commandLine().getErr().println("sdc: warning: " + Messages.oneLine(line));
        }
    }

    void timings(StageTimings t) {
        if (verbose && !quiet) {
            spec.commandLine().getErr().println("timings: " + t);
        }
    }
}
