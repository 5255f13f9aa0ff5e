package dev.sdc.eval;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A PNG grid for visual comparison: columns original | sdc | each baseline at matched bytes; the top row is
 * the whole image (scaled down to fit a column when large), the bottom row a crop from the image centre
 * enlarged 3× with nearest-neighbour so codec artefacts stay visible. Each column is labelled with the codec,
 * byte count and bpp.
 */
public final class ComparisonSheet {
    static final int COLUMN = 384;
    static final int ZOOM = 3;
    private static final int LABEL = 22;
    private static final int GAP = 6;

    private ComparisonSheet() {
    }

    /** Writes one sheet per {@link SheetData}, named sheet_IMAGE_SETTING.png; returns the files. */
    public static List<Path> writeAll(List<SheetData> sheets, Path dir) {
        List<Path> out = new ArrayList<>();
        for (SheetData s : sheets) {
            String stem = s.image().replaceAll("\\.[^.]*$", "") + "_" + s.setting().replace("=", "");
            String safe = "sheet_" + stem.replaceAll("[^A-Za-z0-9_.-]", "_");
            Path file = dir.resolve(safe + ".png");
            for (int k = 2; out.contains(file); k++) { // "a b.png" and "a_b.png" must not share a sheet
                file = dir.resolve(safe + "_" + k + ".png");
            }
            write(s, file);
            out.add(file);
        }
        return out;
    }

    static void write(SheetData s, Path file) {
        ImageFiles.write(ImageFiles.fromBufferedImage(render(s)), file);
    }

    static BufferedImage render(SheetData s) {
        int w = s.original().width();
        int h = s.original().height();
        double scale = Math.min(1.0, (double) COLUMN / w);
        int fullW = Math.max(1, (int) Math.round(w * scale));
        int fullH = Math.max(1, (int) Math.round(h * scale));
        int cropW = Math.min(w, COLUMN / ZOOM);
        int cropH = Math.min(h, COLUMN / ZOOM);
        int cx = (w - cropW) / 2;
        int cy = (h - cropH) / 2;

        List<String> labels = new ArrayList<>();
        List<RgbImage> images = new ArrayList<>();
        labels.add("original  " + w + "x" + h);
        images.add(s.original());
        for (SheetData.Panel p : s.panels()) {
            labels.add(String.format(Locale.ROOT, "%s  %,d B  %.3f bpp", p.codec(), p.bytes(), p.bpp()));
            images.add(p.decoded());
        }
        int colW = Math.max(fullW, cropW * ZOOM);
        int rowH = LABEL + fullH + GAP + cropH * ZOOM + GAP;
        int sheetW = images.size() * (colW + GAP) + GAP;
        int sheetH = LABEL + rowH;
        BufferedImage out = new BufferedImage(sheetW, sheetH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheetW, sheetH);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(s.image() + "   sdc " + s.setting() + "   crop " + cropW + "x" + cropH + " at (" + cx + "," + cy
                    + ") enlarged " + ZOOM + "x", GAP, 16);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            for (int i = 0; i < images.size(); i++) {
                int x = GAP + i * (colW + GAP);
                int y = LABEL;
                g.setColor(Color.BLACK);
                g.drawString(labels.get(i), x, y + 15);
                BufferedImage img = ImageFiles.toBufferedImage(images.get(i));
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(img, x, y + LABEL, fullW, fullH, null);
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
                int cyTop = y + LABEL + fullH + GAP;
                g.drawImage(img, x, cyTop, x + cropW * ZOOM, cyTop + cropH * ZOOM, cx, cy, cx + cropW, cy + cropH, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }
}
