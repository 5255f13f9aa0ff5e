package dev.sdc.bitstream.scalar;

import dev.sdc.Plural;
import dev.sdc.bitstream.ByteCursor;
import dev.sdc.model.ModelException;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A bundle's scalar-mode prior, the file {@code prior.bin} (docs/SCALAR.md, "prior.bin"): integer CDF
 * tables for every (rate level, channel, context). Every field is bounded and checked before anything
 * sized by it is allocated; any violation is a {@link ModelException} naming the file and the field.
 */
public final class PriorTables {
    static final byte[] MAGIC = "SDCP".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int MIN_PRECISION = 8;
    public static final int MAX_LEVELS = 64;
    public static final float MIN_STEP = 1.0f / 4096;
    public static final float MAX_STEP = 16f;
    public static final int MAX_TIMESTEP = 4095;
    /** Largest prior file read: far above any real one (a few hundred KiB), far below harm. */
    public static final long MAX_FILE_BYTES = 16L << 20;

    private final List<PriorLevel> levels;

    public PriorTables(List<PriorLevel> levels) {
        if (levels.isEmpty() || levels.size() > MAX_LEVELS) {
            throw new IllegalArgumentException("levels " + levels.size());
        }
        ContextModel first = levels.get(0).model();
        for (PriorLevel l : levels) {
            ContextModel m = l.model();
            if (m.channels() != first.channels() || m.precision() != first.precision()
                    || !java.util.Arrays.equals(m.thresholds(), first.thresholds())) {
                throw new IllegalArgumentException("levels differ in channels, precision or contexts");
            }
        }
        this.levels = List.copyOf(levels);
    }

    public int levels() {
        return levels.size();
    }

    public PriorLevel level(int index) {
        return levels.get(index);
    }

    public int channels() {
        return levels.get(0).model().channels();
    }

    /** Reads and validates {@code file}. */
    public static PriorTables read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ModelException(file + ": prior tables of " + size + " bytes (limit " + MAX_FILE_BYTES + ")");
            }
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new ModelException(file + ": cannot read prior tables: " + e.getMessage(), e);
        }
    }

    /** Parses the bytes of a prior file; {@code name} labels the errors. */
    public static PriorTables parse(byte[] data, String name) {
        try {
            return new Parser(data).parse();
        } catch (IllegalArgumentException e) {
            throw new ModelException(name + ": invalid prior tables: " + e.getMessage());
        }
    }

    /** The file bytes of these tables (the inverse of {@link #parse}). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            ContextModel m0 = levels.get(0).model();
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeByte(m0.channels());
            out.writeByte(m0.precision());
            out.writeByte(m0.contexts());
            for (int t : m0.thresholds()) {
                out.writeShort(t);
            }
            out.writeByte(levels.size());
            for (PriorLevel l : levels) {
                for (float s : l.steps()) {
                    out.writeFloat(s);
                }
                out.writeShort(l.denoiseTimestep());
                for (int c = 0; c < m0.channels(); c++) {
                    for (int k = 0; k < m0.contexts(); k++) {
                        CdfTable t = l.model().table(c, k);
                        out.writeInt(t.offset());
                        out.writeShort(t.symbols());
                        for (int s = 0; s <= t.symbols(); s++) {
                            out.writeShort(t.freq(s));
                        }
                    }
                }
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** Reads the file; every shortfall or bound violation is an IllegalArgumentException. */
    private static final class Parser {
        private final byte[] d;
        private ByteCursor in;

        Parser(byte[] d) {
            this.d = d;
        }

        PriorTables parse() {
            if (d.length < MAGIC.length + 4 + 1 + 4) {
                throw new IllegalArgumentException("file too short (" + d.length + " bytes)");
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (d[i] != MAGIC[i]) {
                    throw new IllegalArgumentException("not a prior file (bad magic)");
                }
            }
            CRC32 crc = new CRC32();
            crc.update(d, 0, d.length - 4);
            long stored = 0;
            for (int i = d.length - 4; i < d.length; i++) {
                stored = (stored << 8) | (d[i] & 0xFF);
            }
            if (stored != crc.getValue()) {
                throw new IllegalArgumentException("CRC mismatch (corrupt file)");
            }
            in = new ByteCursor(d, MAGIC.length, d.length - 4, IllegalArgumentException::new);
            int version = in.u8();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported version " + version);
            }
            int channels = bounded("channels", in.u8(), 1, ScalarLatentCoder.MAX_CHANNELS);
            int precision = bounded("precision", in.u8(), MIN_PRECISION, CdfTable.MAX_PRECISION);
            int contexts = bounded("contexts", in.u8(), 1, ScalarLatentCoder.MAX_CONTEXTS);
            int[] thresholds = new int[contexts - 1];
            for (int i = 0; i < thresholds.length; i++) {
                thresholds[i] = in.u16();
            }
            int levelCount = bounded("levels", in.u8(), 1, MAX_LEVELS);
            PriorLevel[] levels = new PriorLevel[levelCount];
            for (int l = 0; l < levelCount; l++) {
                float[] steps = new float[channels];
                for (int c = 0; c < channels; c++) {
                    steps[c] = Float.intBitsToFloat((int) in.u32());
                }
                int timestep = in.u16();
                CdfTable[][] tables = new CdfTable[channels][contexts];
                for (int c = 0; c < channels; c++) {
                    for (int k = 0; k < contexts; k++) {
                        tables[c][k] = table(l, c, k, precision);
                    }
                }
                levels[l] = new PriorLevel(steps, timestep, new ContextModel(thresholds, tables));
            }
            if (in.remaining() != 0) {
                throw new IllegalArgumentException(Plural.count(in.remaining(), "trailing byte") + " before the CRC");
            }
            requireCoarseToFine(levels);
            return new PriorTables(List.of(levels));
        }

        private CdfTable table(int l, int c, int k, int precision) {
            String where = "level " + l + " channel " + c + " context " + k + ": ";
            int offset = (int) in.u32();
            int n = in.u16();
            if (n < 1 || n > CdfTable.MAX_SYMBOLS) {
                throw new IllegalArgumentException(where + "symbol count " + n + " outside 1 … " + CdfTable.MAX_SYMBOLS);
            }
            in.need(2L * (n + 1)); // before allocating: the file must hold the frequencies
            int[] freqs = new int[n + 1];
            for (int s = 0; s <= n; s++) {
                freqs[s] = in.u16();
            }
            try {
                return CdfTable.of(offset, freqs, precision);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
        }

        private static int bounded(String field, int v, int lo, int hi) {
            if (v < lo || v > hi) {
                throw new IllegalArgumentException(field + " " + v + " outside " + lo + " … " + hi);
            }
            return v;
        }
    }

    /**
     * Levels run coarse to fine: each level's geometric mean step is below the previous one's. Rate control
     * spans its search from level 0 (the coarsest) to the last (the finest); a file in the other order collapsed
     * every --quality, --size and --bpp to one rate.
     */
    private static void requireCoarseToFine(PriorLevel[] levels) {
        for (int l = 1; l < levels.length; l++) {
            double previous = meanLogStep(levels[l - 1]);
            double here = meanLogStep(levels[l]);
            if (!(here < previous)) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "level %d: mean step %.6g is not below level %d's %.6g (levels must run coarse to fine)",
                        l, Math.exp(here), l - 1, Math.exp(previous)));
            }
        }
    }

    private static double meanLogStep(PriorLevel level) {
        double sum = 0;
        float[] steps = level.steps();
        for (float s : steps) {
            sum += Math.log(s);
        }
        return sum / steps.length;
    }
}
