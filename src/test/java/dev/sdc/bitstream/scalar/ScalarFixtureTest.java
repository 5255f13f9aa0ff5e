package dev.sdc.bitstream.scalar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Python/Java agreement: testdata/scalar was written by {@code scripts/train/train_scalar.py --stages fixture}
 * (a prior exported from a toy RD run, one latent with forced escapes, Python's ideal code length and the
 * stream of Python's reference range encoder).
 */
class ScalarFixtureTest {
    private static final Path DIR = Path.of("testdata/scalar");

    private static int[][][] readLatent(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int c = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            int[][][] q = new int[c][h][w];
            for (int[][] plane : q) {
                for (int[] row : plane) {
                    for (int x = 0; x < w; x++) {
                        row[x] = in.readInt();
                    }
                }
            }
            assertEquals(-1, in.read(), "latent.bin ends after its values");
            return q;
        }
    }

    private static double jsonNumber(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), key);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void javaCodeLengthsMatchPythonsEstimate() throws IOException {
        PriorTables prior = PriorTables.read(DIR.resolve("prior.bin"));
        String expected = Files.readString(DIR.resolve("expected.json"));
        int level = (int) jsonNumber(expected, "level");
        double pythonBits = jsonNumber(expected, "ideal_bits");
        int[][][] q = readLatent(DIR.resolve("latent.bin"));
        ContextModel model = prior.level(level).model();

        double javaBits = ScalarLatentCoder.idealBits(q, model);
        assertEquals(pythonBits, javaBits, 1e-6 * pythonBits, "same tables, same contexts, same escapes");

        byte[] coded = ScalarLatentCoder.encode(q, model);
        assertArrayEquals(Files.readAllBytes(DIR.resolve("coded.bin")), coded,
                "Java writes the bytes of Python's reference encoder");
        long actual = 8L * coded.length;
        assertTrue(actual >= javaBits - 8 && actual <= javaBits * 1.01 + 48,
                () -> "coded " + actual + " bits vs ideal " + javaBits);
        int[][][] back = ScalarLatentCoder.decode(coded, 0, coded.length, q.length, q[0].length, q[0][0].length,
                model);
        for (int c = 0; c < q.length; c++) {
            for (int y = 0; y < q[0].length; y++) {
                assertArrayEquals(q[c][y], back[c][y]);
            }
        }
    }
}
