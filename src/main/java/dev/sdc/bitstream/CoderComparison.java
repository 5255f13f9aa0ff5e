package dev.sdc.bitstream;

import dev.sdc.SdcException;
import dev.sdc.ToolMain;
import dev.sdc.latent.PaletteLatent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Measures the index coder against Bühlmann's storage: zlib level 9 over the raw palette (N·C bytes)
 * followed by one byte per index. Run with .sdc files as arguments to measure their latents, or with no
 * arguments to measure synthetic latents (see {@link SyntheticPaletteLatent}).
 */
public final class CoderComparison {
    /**
     * Sizes of one palette latent under both schemes, neither counting length fields.
     *
     * @param sdcBytes  palette (N·C) plus the coded index stream of docs/FORMAT.md
     * @param zlibBytes zlib-9 of palette bytes then one byte per index
     */
    public record Sizes(int sdcBytes, int zlibBytes) {
    }

    private CoderComparison() {
    }

    public static Sizes compare(PaletteLatent p) {
        return new Sizes(sdcBytes(p, IndexCoder.V1), zlibBytes(p));
    }

    static int sdcBytes(PaletteLatent p, IndexCoder.ContextModel model) {
        return p.palette().length + IndexCoder.encode(p.indices(), p.width(), p.height(), p.paletteSize(), model).length;
    }

    static int zlibBytes(PaletteLatent p) {
        byte[] raw = new byte[p.palette().length + p.indices().length];
        System.arraycopy(p.palette(), 0, raw, 0, p.palette().length);
        for (int i = 0; i < p.indices().length; i++) {
            raw[p.palette().length + i] = (byte) p.indices()[i];
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(raw);
        deflater.finish();
        byte[] buf = new byte[raw.length + 1024];
        int total = 0;
        while (!deflater.finished()) {
            total += deflater.deflate(buf);
        }
        deflater.end();
        return total;
    }

    /**
     * Arguments: .sdc files (none: synthetic latents); {@code --alternatives} also totals every context model
     * tried. A missing or corrupt file is one line and sdc's exit code (scripts/measure-coder.sh).
     */
    public static void main(String[] argv) {
        ToolMain.run("measure-coder", argv, CoderComparison::run);
    }

    private static void run(String[] argv) {
        List<String> args = new ArrayList<>(List.of(argv));
        boolean alternatives = args.remove("--alternatives");
        List<String> names = new ArrayList<>();
        List<PaletteLatent> inputs = new ArrayList<>();
        if (args.isEmpty()) {
            for (int seed = 1; seed <= 5; seed++) {
                names.add("synthetic seed " + seed + " 96x64x4 N=256");
                inputs.add(SyntheticPaletteLatent.generate(seed, 96, 64, 4, 256));
            }
        } else {
            for (String a : args) {
                names.add(a);
                try {
                    inputs.add(SdcReader.read(Path.of(a)).latent());
                } catch (SdcException e) { // "bad magic" alone would not say which file
                    String m = String.valueOf(e.getMessage());
                    throw m.contains(a) ? e : new SdcException(e.exitCode(), a + ": " + m, e);
                }
            }
        }
        List<IndexCoder.ContextModel> models = alternatives ? alternatives() : List.of(IndexCoder.V1);
        long zlibTotal = 0;
        long[] totals = new long[models.size()];
        for (int i = 0; i < inputs.size(); i++) {
            PaletteLatent p = inputs.get(i);
            Sizes s = compare(p);
            zlibTotal += s.zlibBytes();
            System.out.printf("%-40s sdc %6d B  zlib-9 %6d B  ratio %.3f%n", names.get(i), s.sdcBytes(),
                    s.zlibBytes(), (double) s.sdcBytes() / s.zlibBytes());
            for (int m = 0; m < models.size(); m++) {
                totals[m] += sdcBytes(p, models.get(m));
            }
        }
        long v1 = totals[models.indexOf(IndexCoder.V1)];
        System.out.printf("TOTAL %d files: sdc %d B, zlib-9 %d B, ratio %.3f%n", inputs.size(), v1, zlibTotal,
                (double) v1 / zlibTotal);
        for (int m = 0; alternatives && m < models.size(); m++) {
            System.out.printf("total %-80s %7d B%s%n", models.get(m), totals[m],
                    models.get(m).equals(IndexCoder.V1) ? "  <- v1" : "");
        }
    }

    /** Context models compared to choose version 1's. */
    static List<IndexCoder.ContextModel> alternatives() {
        List<IndexCoder.ContextModel> list = new ArrayList<>();
        for (int shift : new int[] {4, 5}) {
            list.add(new IndexCoder.ContextModel(shift, 1, false, false, false, 1));
            for (int b : new int[] {4, 8, 16, 32}) {
                list.add(new IndexCoder.ContextModel(shift, b, false, false, false, 1));
                list.add(new IndexCoder.ContextModel(shift, b, true, false, false, 1));
                list.add(new IndexCoder.ContextModel(shift, b, true, true, false, 1));
                list.add(new IndexCoder.ContextModel(shift, b, true, true, true, 1));
            }
            for (int b : new int[] {4, 8, 16}) {
                for (int bu : new int[] {2, 4, 8}) {
                    list.add(new IndexCoder.ContextModel(shift, b, false, false, false, bu));
                    list.add(new IndexCoder.ContextModel(shift, b, true, false, false, bu));
                }
            }
        }
        return list;
    }
}
