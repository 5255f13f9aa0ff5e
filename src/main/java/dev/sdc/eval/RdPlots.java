package dev.sdc.eval;

import dev.sdc.ExitCode;
import dev.sdc.io.AtomicFiles;
import dev.sdc.SdcException;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Rate–distortion plots: mean bpp against mean PSNR, MS-SSIM and butteraugli, one point per sdc setting,
 * one line per codec (each baseline's points sit at the byte counts matched to sdc's).
 *
 * <p>A point is a mean over every image of the run. A group that misses images (a scalar target some images
 * cannot reach, the baselines matched to it, a baseline that failed on an image) would average over another
 * set, and a curve through it would bend for that reason alone; such points are left out and named under the
 * title.
 */
public final class RdPlots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 600;
    /** Distinguishable on white (JFreeChart's default yellow is not). */
    private static final Color[] PALETTE = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C),
            new Color(0xFF7F0E), new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F)};

    private RdPlots() {
    }

    /** Writes rd_psnr.png, rd_msssim.png and (when any butteraugli score exists) rd_butteraugli.png; returns them. */
    public static List<Path> write(List<EvalResult> results, Path dir) {
        List<Path> written = new ArrayList<>();
        written.add(plot(results, "PSNR (dB, RGB)", EvalResult::psnr, dir.resolve("rd_psnr.png")));
        written.add(plot(results, "MS-SSIM (RGB)", EvalResult::msssim, dir.resolve("rd_msssim.png")));
        if (results.stream().anyMatch(r -> !Double.isNaN(r.butteraugli()))) {
            written.add(plot(results, "butteraugli (lower is better)", EvalResult::butteraugli,
                    dir.resolve("rd_butteraugli.png")));
        }
        return written;
    }

    /** One line per codec, and the groups left out because they miss images ("sdc-scalar bpp=0.025 (3/4)"). */
    record Curves(Map<String, XYSeries> series, List<String> leftOut) {
    }

    static Curves curves(List<EvalResult> results, ToDoubleFunction<EvalResult> f) {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        Set<String> images = Aggregate.images(results);
        List<String> partial = new ArrayList<>();
        for (Aggregate a : Aggregate.of(results)) {
            if (a.codec().equals(EvalRunner.AUTOENCODER)) {
                continue; // a quality ceiling at the raw float latent's size, not a point on the rate axis
            }
            if (!a.covers(images)) {
                partial.add(a.codec() + " " + a.setting() + " (" + a.rows().size() + "/" + images.size() + ")");
                continue;
            }
            double y = a.mean(f);
            double x = a.mean(EvalResult::bpp);
            if (Double.isFinite(x) && Double.isFinite(y)) {
                series.computeIfAbsent(a.codec(), c -> new XYSeries(c, true)).add(x, y);
            }
        }
        return new Curves(series, partial);
    }

    private static Path plot(List<EvalResult> results, String metric, ToDoubleFunction<EvalResult> f, Path file) {
        Curves curves = curves(results, f);
        Map<String, XYSeries> series = curves.series();
        List<String> partial = curves.leftOut();
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart("Rate–distortion: " + metric, "bits per pixel", metric,
                data, PlotOrientation.VERTICAL, true, false, false);
        if (!partial.isEmpty()) {
            chart.addSubtitle(new org.jfree.chart.title.TextTitle("left out, not every image reached: "
                    + String.join(", ", partial)));
        }
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new java.awt.BasicStroke(i == 0 ? 3f : 2f)); // sdc (first) drawn bolder
        }
        plot.setRenderer(renderer);
        if (plot.getRangeAxis() instanceof org.jfree.chart.axis.NumberAxis axis) {
            axis.setAutoRangeIncludesZero(false);
        }
        try {
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            ChartUtils.writeChartAsPNG(png, chart, WIDTH, HEIGHT);
            AtomicFiles.write(file, png.toByteArray());
        } catch (IOException e) {
            throw new SdcException(ExitCode.IO, "cannot write " + file + ": " + e.getMessage());
        }
        return file;
    }
}
