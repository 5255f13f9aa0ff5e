package dev.sdc.eval;

/**
 * One row of results.csv: one image coded by one codec. For a baseline, {@code setting} is the sdc setting
 * whose byte count it was matched to, {@code targetBytes} that count, {@code quality} the chosen quality and
 * {@code fit} "ok", "over" or "under" (see docs/EVAL.md). For sdc, quality is -1 and fit is empty.
 * Metrics are NaN when not computable (butteraugli absent, image too small for MS-SSIM, an original without
 * fine detail for {@code detail}: {@link dev.sdc.eval.metrics.DetailRatio}).
 */
public record EvalResult(String image, String codec, String setting, long bytes, double bpp,
                         double psnr, double ssim, double msssim, double butteraugli, double detail,
                         double encodeMs, double decodeMs, int quality, long targetBytes, String fit,
                         String command) {
}
