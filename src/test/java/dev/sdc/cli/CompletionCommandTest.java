package dev.sdc.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@code sdc completion} prints a bash script generated from the commands, so it knows every option. */
class CompletionCommandTest {
    @Test
    void scriptCompletesSubcommandsAndTheirOptions() {
        CliTest.Result r = CliTest.sdc("completion");
        assertEquals(0, r.code(), r.err());
        String s = r.out();
        assertTrue(s.startsWith("#!/usr/bin/env bash"), s.substring(0, Math.min(200, s.length())));
        assertTrue(s.contains("complete -F _complete_sdc"), "registers the completion function");
        for (String word : new String[] {"encode", "decode", "info", "eval", "completion", "--output-dir", "--recursive",
                "--jobs", "--force", "--format", "--colors", "--model", "--max-memory", "--steps", "--no-denoise"}) {
            assertTrue(s.contains(word), word + " missing from the completion script");
        }
    }
}
