package dev.sdc.eval;

import dev.sdc.io.AtomicFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes results.csv (RFC 4180 quoting; NaN and "not applicable" are empty cells). */
public final class ResultsCsv {
    public static final String HEADER = "image,codec,setting,bytes,bpp,psnr,ssim,msssim,butteraugli,detail,encode_ms,decode_ms,"
            + "quality,target_bytes,fit,command";

    private ResultsCsv() {
    }

    public static void write(List<EvalResult> results, Path file) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (EvalResult r : results) {
            sb.append(cell(r.image())).append(',')
                    .append(cell(r.codec())).append(',')
                    .append(cell(r.setting())).append(',')
                    .append(r.bytes()).append(',')
                    .append(num(r.bpp(), 6)).append(',')
                    .append(num(r.psnr(), 4)).append(',')
                    .append(num(r.ssim(), 6)).append(',')
                    .append(num(r.msssim(), 6)).append(',')
                    .append(num(r.butteraugli(), 4)).append(',')
                    .append(num(r.detail(), 4)).append(',')
                    .append(num(r.encodeMs(), 1)).append(',')
                    .append(num(r.decodeMs(), 1)).append(',')
                    .append(r.quality() < 0 ? "" : Integer.toString(r.quality())).append(',')
                    .append(r.targetBytes()).append(',')
                    .append(cell(r.fit())).append(',')
                    .append(cell(r.command())).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String num(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String cell(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
