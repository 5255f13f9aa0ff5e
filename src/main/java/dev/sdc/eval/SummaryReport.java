package dev.sdc.eval;

import dev.sdc.Plural;
import dev.sdc.io.AtomicFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Writes summary.md: the command, the machine and tool versions, and a table of means per codec × setting. */
public final class SummaryReport {
    private SummaryReport() {
    }

    /**
     * @param commandLine the exact command as typed
     * @param environment lines describing machine and tool versions, printed as a list
     * @param leftOut     what the rows lack (a codec without its tool, an unreadable image, a failed baseline)
     */
    public static void write(List<EvalResult> results, String commandLine, List<String> environment,
                             List<String> leftOut, Path file) {
        StringBuilder sb = new StringBuilder("# sdc evaluation\n\n");
        sb.append("Command:\n\n```\n").append(commandLine).append("\n```\n\n");
        sb.append("Environment:\n\n");
        environment.forEach(line -> sb.append("- ").append(line).append('\n'));
        java.util.Set<String> all = Aggregate.images(results);
        List<Aggregate> groups = Aggregate.of(results);
        long images = all.size();
        sb.append("\nImages: ").append(images).append(". Baselines are matched to the sdc file size of the same ")
                .append("image and setting: lowest quality whose file is at least as large (`over`: even the lowest ")
                .append("quality is larger; `under`: even the highest is smaller). Each cell is the arithmetic mean over ")
                .append("the images (PSNR: of the per-image dB values), `over` and `under` rows included; a missing ")
                .append("value is skipped, so such a mean may be over fewer than n images. `detail`: fine-detail energy ")
                .append("kept (Laplacian of Gaussian, σ = 1, on luma; decoded / original, 1 = as much as the original; ")
                .append("docs/EVAL.md).\n\n");
        sb.append("| codec | setting | n | bytes | bpp | PSNR dB | SSIM | MS-SSIM | butteraugli | detail | encode ms | decode ms | over | under |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Aggregate a : groups) {
            sb.append("| ").append(a.codec()).append(" | ").append(a.setting()).append(" | ").append(a.rows().size())
                    .append(" | ").append(ResultsCsv.num(a.mean(r -> r.bytes()), 0))
                    .append(" | ").append(ResultsCsv.num(a.mean(EvalResult::bpp), 4))
                    .append(" | ").append(ResultsCsv.num(a.mean(EvalResult::psnr), 2))
                    .append(" | ").append(ResultsCsv.num(a.mean(EvalResult::ssim), 4))
                    .append(" | ").append(ResultsCsv.num(a.mean(EvalResult::msssim), 4))
                    .append(" | ").append(ResultsCsv.num(a.mean(EvalResult::butteraugli), 3))
                    .append(" | ").append(ResultsCsv.num(a.mean(EvalResult::detail), 3))
                    .append(" | ").append(ResultsCsv.num(a.mean(EvalResult::encodeMs), 0))
                    .append(" | ").append(ResultsCsv.num(a.mean(EvalResult::decodeMs), 0))
                    .append(" | ").append(a.count("over"))
                    .append(" | ").append(a.count("under")).append(" |\n");
        }
        long partial = groups.stream().filter(a -> !a.covers(all)).count();
        if (partial > 0) {
            sb.append("\n").append(partial).append(partial == 1 ? " row has" : " rows have").append(" n below ")
                    .append(images).append(": some images have no row there (a scalar target they cannot reach, the ")
                    .append("baselines matched to it, or a baseline that failed on them; the run's warnings say ")
                    .append("which). Such a mean is over another set of images, so the RD plots leave it out.\n");
        }
        long over = groups.stream().mapToLong(a -> a.count("over")).sum();
        if (over > 0) {
            sb.append("\n").append(Plural.count(over, "baseline row")).append(" (column `over`) could not get down to ")
                    .append("sdc's bytes: even the lowest quality is larger, so those means are over files with ")
                    .append("more bytes than sdc's, in the baseline's favour; results.csv has each row's bytes.\n");
        }
        if (!leftOut.isEmpty()) {
            sb.append("\nLeft out:\n\n");
            leftOut.forEach(line -> sb.append("- ").append(line).append('\n'));
        }
        sb.append("\nBaseline timings include starting the external process; sdc timings exclude model loading ")
                .append("(one untimed encode and decode runs first). Every timing ran beside the run's other jobs ")
                .append("(--jobs) on the same cores: compare speeds with scripts/bench (README \"Benchmarks\"), ")
                .append("not these columns.\n");
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
