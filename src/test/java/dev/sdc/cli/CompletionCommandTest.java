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

    /**
     * Options with a fixed set of values complete them. picocli names each list after the option's paramLabel,
     * so two options of one command with the same label would share one list (--look once offered
     * "buehlmann"): every list name is unique within its command's function.
     */
    @Test
    void optionValuesCompleteEachFromItsOwnList() {
        String s = CliTest.sdc("completion").out();
        assertTrue(s.contains("=(\"palette\" \"scalar\") # --mode values"), s);
        assertTrue(s.contains("=(\"faithful\" \"sharp\") # --look values"), s);
        assertTrue(s.contains("=(\"buehlmann\") # --preset values"), s);
        assertTrue(s.contains("=(\"all\" \"none\" \"exif\" \"xmp\" \"icc\") # --metadata values"), s);
        assertTrue(s.contains("=(\"bmp\" \"jpeg\" \"jpg\" \"png\" \"tif\" \"tiff\") # --format values"), s);
        assertTrue(s.contains("=(\"jpeg\" \"webp\" \"avif\" \"jxl\" \"avif2x\" \"none\") # --codecs values"), s);
        for (String function : s.split("\nfunction ")) {
            java.util.List<String> lists = function.lines().map(String::strip)
                    .filter(l -> l.startsWith("local ") && l.contains("_option_args="))
                    .map(l -> l.substring(6, l.indexOf('='))).toList();
            assertEquals(new java.util.HashSet<>(lists).size(), lists.size(), "lists shared in: " + function.lines().findFirst().orElse(""));
        }
    }

    /** Each offered value is one its option accepts. */
    @Test
    void everyOfferedValueParses() {
        for (String m : new CompletionValues.Metadata()) {
            assertNotNull(dev.sdc.metadata.MetadataPolicy.parse(m), m);
        }
        for (String p : new CompletionValues.Presets()) {
            assertNotNull(new PresetConverter().convert(p), p);
        }
        for (String f : new CompletionValues.Formats()) {
            assertTrue(dev.sdc.image.ImageFiles.WRITABLE.contains(f), f);
        }
        for (String m : new CompletionValues.Modes()) {
            ModeOptions o = new ModeOptions();
            new picocli.CommandLine(o).parseArgs("--mode", m);
            assertEquals(m, o.mode(null, false, false, false).cliName());
        }
    }
}
