package org.mert4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/** A small line chart drawn with Java2D: a title, axes with ticks, one coloured line per series, a legend. */
public final class LineChart {
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127)};

    private record Series(String name, double[] x, double[] y, boolean points) {}

    private final String title;
    private final String xLabel;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();

    public LineChart(String title, String xLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.logY = logY;
    }

    public LineChart line(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y, false));
        return this;
    }

    public LineChart points(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y, true));
        return this;
    }

    public boolean isEmpty() {
        return series.stream().allMatch(s -> s.x().length == 0);
    }

    /** Draws several charts in a grid into one PNG. */
    public static void writePng(Path file, List<LineChart> charts, int columns) throws IOException {
        int w = 560;
        int h = 360;
        int rows = (charts.size() + columns - 1) / columns;
        BufferedImage img = new BufferedImage(w * columns, h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            charts.get(i).draw(g, (i % columns) * w, (i / columns) * h, w, h);
        }
        g.dispose();
        org.mert4j.io.AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }

    private double ty(double v) {
        return logY ? Math.log10(Math.max(v, 1e-12)) : v;
    }

    void draw(Graphics2D g, int ox, int oy, int w, int h) {
        int left = ox + 70;
        int right = ox + w - 20;
        int top = oy + 36;
        int bottom = oy + h - 50;
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) {
                    continue;
                }
                minX = Math.min(minX, s.x()[i]);
                maxX = Math.max(maxX, s.x()[i]);
                minY = Math.min(minY, ty(s.y()[i]));
                maxY = Math.max(maxY, ty(s.y()[i]));
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, oy + 22);
        if (!Double.isFinite(minX)) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("no data", left + 10, (top + bottom) / 2);
            return;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            maxY = minY + Math.max(1e-9, Math.abs(minY) * 0.1);
            minY -= Math.max(1e-9, Math.abs(minY) * 0.1);
        }
        double padY = (maxY - minY) * 0.05;
        minY -= padY;
        maxY += padY;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(new Color(230, 230, 230));
        for (int t = 0; t <= 4; t++) {
            int yy = bottom - (bottom - top) * t / 4;
            g.drawLine(left, yy, right, yy);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, right - left, bottom - top);
        for (int t = 0; t <= 4; t++) {
            double v = minY + (maxY - minY) * t / 4;
            int yy = bottom - (bottom - top) * t / 4;
            String label = logY ? String.format("%.3g", Math.pow(10, v)) : String.format("%.3g", v);
            g.drawString(label, ox + 6, yy + 4);
            double xv = minX + (maxX - minX) * t / 4;
            int xx = left + (right - left) * t / 4;
            g.drawString(String.format("%.4g", xv), xx - 12, bottom + 16);
        }
        g.drawString(xLabel, (left + right) / 2 - 20, bottom + 34);
        int legendY = top + 14;
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            Color c = PALETTE[k % PALETTE.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(1.6f));
            int px = -1;
            int py = -1;
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) {
                    px = -1;
                    continue;
                }
                int xx = left + (int) Math.round((s.x()[i] - minX) / (maxX - minX) * (right - left));
                int yy = bottom - (int) Math.round((ty(s.y()[i]) - minY) / (maxY - minY) * (bottom - top));
                if (s.points()) {
                    g.fillOval(xx - 3, yy - 3, 7, 7);
                } else if (px >= 0) {
                    g.drawLine(px, py, xx, yy);
                }
                px = xx;
                py = yy;
            }
            g.fillRect(right - 150, legendY - 8, 12, 4);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), right - 132, legendY - 3);
            legendY += 14;
        }
        g.setStroke(new BasicStroke(1f));
    }
}
