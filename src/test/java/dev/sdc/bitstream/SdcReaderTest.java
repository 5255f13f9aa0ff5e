package dev.sdc.bitstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sdc.latent.PaletteLatent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SdcReaderTest {
    private static final byte[] FP = {1, 2, 3, 4, 5, 6, 7, (byte) 0xF8};

    static SdcFile sample(long seed, int width, int height, int factor, int channels, int n) {
        int lw = (width + factor - 1) / factor, lh = (height + factor - 1) / factor;
        Random rnd = new Random(seed);
        byte[] palette = new byte[n * channels];
        rnd.nextBytes(palette);
        int[] idx = new int[lw * lh];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rnd.nextInt(4) == 0 ? rnd.nextInt(n) : (i / 7) % n;
        }
        SdcHeader h = new SdcHeader(width, height, "sd-vae_1.5", FP, channels, factor, lw, lh, 0, -5.5f, 6.25f,
                0.3f, 2);
        return new SdcFile(h, new PaletteLatent(channels, lw, lh, palette, n, idx));
    }

    private static SdcFile small() {
        return sample(11, 100, 60, 8, 4, 37);
    }

    /** Recomputes the trailing CRC-32 after a test edited the bytes, so only the edit is rejected. */
    static void fixCrc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    }

    /** The message of the {@link FormatException} that reading {@code b} must throw. */
    static String message(byte[] b) {
        return assertThrows(FormatException.class, () -> SdcReader.read(b)).getMessage();
    }

    @Test
    void roundTripsEveryField() {
        for (int[] c : new int[][] {{1, 1, 1, 1, 1}, {100, 60, 8, 4, 37}, {512, 768, 8, 4, 256}, {33, 17, 64, 16, 2},
                {7, 300, 1, 3, 255}}) {
            SdcFile f = sample(c[0] + c[1], c[0], c[1], c[2], c[3], c[4]);
            SdcFile back = SdcReader.read(SdcWriter.write(f));
            assertTrue(f.sameContent(back), "round trip of " + Arrays.toString(c));
            SdcHeader h = back.header();
            assertEquals(c[0], h.width());
            assertEquals(c[1], h.height());
            assertEquals("sd-vae_1.5", h.bundleName());
            assertArrayEquals(FP, h.fingerprint());
            assertEquals(c[3], h.channels());
            assertEquals(c[2], h.factor());
            assertEquals(0, h.mode());
            assertEquals(-5.5f, h.quantMin());
            assertEquals(6.25f, h.quantMax());
            assertEquals(0.3f, h.strength());
            assertEquals(2, h.steps());
        }
    }

    @Test
    void acceptsPaddedLatentUpToTheBound() {
        SdcFile f = sample(5, 100, 60, 8, 4, 3);
        SdcHeader h = f.header();
        PaletteLatent p = f.latent();
        int lw = 13 + 64, lh = 8;
        SdcHeader padded = new SdcHeader(100, 60, "x", FP, 4, 8, lw, lh, 0, 0f, 1f, 1f, 1000);
        SdcFile g = new SdcFile(padded, new PaletteLatent(4, lw, lh, p.palette(), 3, new int[lw * lh]));
        assertTrue(g.sameContent(SdcReader.read(SdcWriter.write(g))));
        SdcHeader tooWide = new SdcHeader(100, 60, "x", FP, 4, 8, lw + 1, lh, 0, 0f, 1f, 1f, 1000);
        assertThrows(FormatException.class, tooWide::validate);
        SdcHeader tooNarrow = new SdcHeader(100, 60, "x", FP, 4, 8, 12, lh, 0, 0f, 1f, 1f, 1000);
        assertThrows(FormatException.class, tooNarrow::validate);
        assertEquals(h, SdcReader.read(SdcWriter.write(f)).header());
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] full = SdcWriter.write(small());
        for (int len = 0; len < full.length; len++) {
            byte[] prefix = Arrays.copyOf(full, len);
            String m = message(prefix);
            assertTrue(len == 0 ? m.startsWith("empty") : m.startsWith("truncated") || len < 4 && m.contains("magic") || m.contains("CRC"),
                    "length " + len + ": " + m);
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] full = SdcWriter.write(small());
        byte[] longer = Arrays.copyOf(full, full.length + 1);
        assertThrows(FormatException.class, () -> SdcReader.read(longer));
        assertEquals("1 trailing byte after the end of the sdc file", message(longer));
        assertEquals("2 trailing bytes after the end of the sdc file", message(Arrays.copyOf(full, full.length + 2)));
    }

    /** The header alone, checked as read() checks it; a damaged payload does not stop it, a damaged header does. */
    @Test
    void readHeaderParsesTheHeaderOnly() {
        byte[] full = SdcWriter.write(small());
        assertEquals(SdcReader.read(full).header(), SdcReader.readHeader(full));
        byte[] badCrc = full.clone();
        badCrc[badCrc.length - 1] ^= 1;
        assertThrows(FormatException.class, () -> SdcReader.read(badCrc));
        assertEquals(SdcReader.read(full).header(), SdcReader.readHeader(badCrc));
        assertThrows(FormatException.class, () -> SdcReader.readHeader(Arrays.copyOf(full, 20)));
        assertThrows(FormatException.class, () -> SdcReader.readHeader(new byte[0]));
    }

    @Test
    void clearMessages() {
        byte[] full = SdcWriter.write(small());
        byte[] b = full.clone();
        b[1] = 'X';
        assertEquals("not an sdc file (bad magic)", message(b));
        assertEquals("not an sdc file (bad magic)", message("GIF89a".getBytes()));
        assertEquals("empty (0 bytes), not an sdc file", message(new byte[0]));
        b = full.clone();
        b[b.length - 10] ^= 1;
        assertTrue(message(b).startsWith("CRC mismatch (stored "), message(b));
        b = full.clone();
        b[4] = 2;
        assertEquals("unsupported sdc version 2 (this sdc reads version 1)", message(b));
        int modeAt = 4 + 1 + 1 + 4 + 4 + 1 + "sd-vae_1.5".length() + 8 + 1 + 1 + 2 + 2;
        b = full.clone();
        b[modeAt] = 2;
        assertEquals("unsupported quantizer mode 2 (this sdc reads modes 0 and 1)", message(b));
    }

    @Test
    void writerRejectsOutOfBoundHeader() {
        SdcFile f = small();
        SdcHeader h = f.header();
        SdcHeader mode2 = new SdcHeader(h.width(), h.height(), h.bundleName(), FP, 4, 8, h.latentWidth(),
                h.latentHeight(), 2, 0f, 1f, 0.5f, 1);
        assertThrows(IllegalArgumentException.class, () -> new SdcFile(mode2, f.latent()),
                "a palette payload under a mode-2 header");
        FormatException e = assertThrows(FormatException.class, mode2::validate);
        assertEquals("unsupported quantizer mode 2 (this sdc reads modes 0 and 1)", e.getMessage());
        SdcHeader scalar = new SdcHeader(h.width(), h.height(), h.bundleName(), FP, 4, 8, h.latentWidth(),
                h.latentHeight(), 1, 0f, 1f, 0.5f, 1);
        assertThrows(IllegalArgumentException.class, () -> new SdcFile(scalar, f.latent()),
                "a palette payload under a scalar header");
        SdcHeader badName = new SdcHeader(h.width(), h.height(), "a b", FP, 4, 8, h.latentWidth(),
                h.latentHeight(), 0, 0f, 1f, 0.5f, 1);
        assertThrows(FormatException.class, () -> SdcWriter.write(new SdcFile(badName, f.latent())));
        SdcHeader nan = new SdcHeader(h.width(), h.height(), "a", FP, 4, 8, h.latentWidth(),
                h.latentHeight(), 0, Float.NaN, 1f, 0.5f, 1);
        assertThrows(FormatException.class, () -> SdcWriter.write(new SdcFile(nan, f.latent())));
    }

    @Test
    void randomByteFlipsAreCaughtByTheCrc() {
        byte[] full = SdcWriter.write(small());
        Random rnd = new Random(21);
        for (int t = 0; t < 1500; t++) {
            byte[] b = full.clone();
            int flips = 1 + (t % 4 == 0 ? rnd.nextInt(8) : 0);
            for (int k = 0; k < flips; k++) {
                b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
            }
            try {
                SdcReader.read(b);
                fail("flip " + t + " accepted");
            } catch (FormatException expected) {
                // CRC (or an earlier header check) rejects it
            }
        }
    }

    @Test
    void flipsWithRecomputedCrcExerciseTheParser() {
        // With the CRC fixed, the payload parser and index decoder see the corrupt bytes themselves.
        byte[] full = SdcWriter.write(small());
        Random rnd = new Random(22);
        int accepted = 0;
        for (int t = 0; t < 3000; t++) {
            byte[] b = full.clone();
            int flips = 1 + (t % 3 == 0 ? rnd.nextInt(6) : 0);
            for (int k = 0; k < flips; k++) {
                b[rnd.nextInt(b.length - 4)] ^= (byte) (1 + rnd.nextInt(255));
            }
            fixCrc(b);
            try {
                SdcFile f = SdcReader.read(b);
                f.header().validate();
                assertEquals(f.header().latentWidth() * f.header().latentHeight(), f.latent().indices().length);
                accepted++;
            } catch (FormatException expected) {
                // the only allowed failure
            }
        }
        assertTrue(accepted > 0 && accepted < 3000, "accepted " + accepted);
    }

    @Test
    void hugeHeadersAreRejectedBeforeAllocation() {
        byte[] full = SdcWriter.write(small());
        ByteBuffer b = ByteBuffer.wrap(full.clone());
        b.putInt(6, 65_536).putInt(10, 65_536);
        fixCrc(b.array());
        assertTrue(message(b.array()).contains("exceeds 2^28 pixels"));

        // A consistent header for a 4096x4096 image, f = 1, C = 16: 2^28 latent codes.
        SdcHeader big = new SdcHeader(4096, 4096, "a", FP, 16, 1, 4096, 4096, 0, 0f, 1f, 0f, 0);
        FormatException e = assertThrows(FormatException.class, big::validate);
        assertTrue(e.getMessage().contains("2^26"), e.getMessage());

        // coded_len claiming 4 GiB
        int nameLen = "sd-vae_1.5".length();
        int codedLenAt = SdcFormat.MIN_HEADER - 1 + nameLen + 2 + 37 * 4;
        ByteBuffer c = ByteBuffer.wrap(full.clone());
        c.putInt(codedLenAt, -1);
        fixCrc(c.array());
        assertTrue(message(c.array()).startsWith("truncated"));
    }

    @Test
    void readsFromPathWithCap(@TempDir Path dir) throws IOException {
        SdcFile f = small();
        Path p = dir.resolve("a.sdc");
        Files.write(p, SdcWriter.write(f));
        assertTrue(f.sameContent(SdcReader.read(p)));
        Path missing = dir.resolve("missing.sdc");
        var e = assertThrows(dev.sdc.SdcException.class, () -> SdcReader.read(missing));
        assertEquals(dev.sdc.ExitCode.BAD_INPUT, e.exitCode());
    }
}
