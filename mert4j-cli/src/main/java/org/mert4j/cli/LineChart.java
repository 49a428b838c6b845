package org.mert4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A small line chart drawn with Java2D: a title, axes with round-number ticks, one line per series and a
 * legend under the plot (never over the curves). Series differ in colour, dash pattern and marker, and
 * earlier series are drawn wider, so lines with the same values stay visible as stripes. An integer x axis
 * (steps, layers) gets integer ticks only; a y axis whose values are all non-negative never extends below
 * zero, and one of fractions in [0, 1] (accuracies) never above one.
 */
public final class LineChart {
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127)};
    private static final float[][] DASHES = {null, {9f, 4f}, {3f, 3f}, {12f, 3f, 3f, 3f}};
    static final int WIDTH = 560;
    static final int HEIGHT = 360;

    private record Series(String name, double[] x, double[] y, boolean points) {}

    /** Where a chart's parts go inside its cell: the plot area and the legend box, which never overlap. */
    record Layout(Rectangle plot, Rectangle legend) {}

    private final String title;
    private final String xLabel;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();
    private boolean integerX;
    private String yLabel;

    public LineChart(String title, String xLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.logY = logY;
    }

    /** A name for the y axis, written along it. */
    public LineChart yLabel(String label) {
        this.yLabel = label;
        return this;
    }

    /** The x values are counts (steps, layers): ticks at whole numbers only. */
    public LineChart integerX() {
        this.integerX = true;
        return this;
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
        BufferedImage img = render(charts, columns);
        org.mert4j.io.AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }

    static BufferedImage render(List<LineChart> charts, int columns) {
        int rows = (charts.size() + columns - 1) / columns;
        BufferedImage img = new BufferedImage(WIDTH * columns, HEIGHT * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            charts.get(i).draw(g, (i % columns) * WIDTH, (i / columns) * HEIGHT, WIDTH, HEIGHT);
        }
        g.dispose();
        return img;
    }

    static Color color(int series) {
        return PALETTE[series % PALETTE.length];
    }

    private static Font plain() {
        return new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    }

    /** A series' legend entry; one with the same points as an earlier series says so ("= mfcc"). */
    String legendName(int k) {
        Series s = series.get(k);
        for (int j = 0; j < k; j++) {
            Series o = series.get(j);
            if (java.util.Arrays.equals(s.x(), o.x()) && java.util.Arrays.equals(s.y(), o.y())) {
                return s.name() + " (= " + o.name() + ")";
            }
        }
        return s.name();
    }

    /**
     * The plot area and, below the axis label, the legend: entries left to right, as many rows as they
     * need, so that the legend never covers a curve and long names do not narrow the plot.
     */
    Layout layout(Graphics2D g, int ox, int oy, int w, int h) {
        FontMetrics fm = g.getFontMetrics(plain());
        int left = ox + 70;
        int right = ox + w - 20;
        int rows = 1;
        int x = 0;
        for (int k = 0; k < series.size(); k++) {
            int entry = legendEntryWidth(fm, k);
            if (x > 0 && x + entry > right - left) {
                rows++;
                x = 0;
            }
            x += entry;
        }
        int legendHeight = series.isEmpty() ? 0 : 14 * rows + 4;
        int top = oy + 36;
        int bottom = oy + h - 50 - legendHeight;
        Rectangle plot = new Rectangle(left, top, right - left, bottom - top);
        Rectangle legend = new Rectangle(left, bottom + 40, right - left, legendHeight);
        return new Layout(plot, legend);
    }

    private int legendEntryWidth(FontMetrics fm, int k) {
        return 28 + fm.stringWidth(legendName(k)) + 16;
    }

    private double ty(double v) {
        return logY ? Math.log10(Math.max(v, 1e-12)) : v;
    }

    /** Round-number ticks from {@code min} to {@code max}, about {@code count} of them; whole numbers if asked. */
    static double[] ticks(double min, double max, int count, boolean integers) {
        double step = niceStep((max - min) / Math.max(1, count));
        if (integers) {
            step = Math.max(1, Math.round(step));
        }
        double first = Math.ceil(min / step - 1e-9) * step;
        List<Double> t = new ArrayList<>();
        for (double v = first; v <= max + step * 1e-9; v += step) {
            t.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    private static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw * (1 - 1e-9)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** The y range shown: the data padded by 5%, the padding never crossing 0 (or 1, for fractions). */
    double[] yRange() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.y()) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!Double.isFinite(min)) {
            return null;
        }
        if (logY) {
            double a = ty(min);
            double b = ty(max);
            if (a == b) {
                a -= 0.5;
                b += 0.5;
            }
            double pad = (b - a) * 0.05;
            return new double[] {a - pad, b + pad};
        }
        double lo = min;
        double hi = max;
        if (lo == hi) {
            double d = Math.max(1e-9, Math.abs(lo) * 0.1);
            lo -= d;
            hi += d;
        }
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
        if (min >= 0) {
            lo = Math.max(0, lo);
        }
        if (min >= 0 && max <= 1 && hi > 1) {
            hi = Math.max(1, max);
        }
        if (hi <= lo) {
            hi = lo + 1;
        }
        return new double[] {lo, hi};
    }

    void draw(Graphics2D g, int ox, int oy, int w, int h) {
        Layout layout = layout(g, ox, oy, w, h);
        Rectangle plot = layout.plot();
        int left = plot.x;
        int right = plot.x + plot.width;
        int top = plot.y;
        int bottom = plot.y + plot.height;
        // values at the ends of the axes are drawn inside the frame, not on it
        int inset = 8;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, oy + 22);
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.y()[i])) {
                    minX = Math.min(minX, s.x()[i]);
                    maxX = Math.max(maxX, s.x()[i]);
                }
            }
        }
        double[] yr = yRange();
        if (!Double.isFinite(minX) || yr == null) {
            g.setFont(plain());
            g.drawString("no data", left + 10, (top + bottom) / 2);
            return;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        double minY = yr[0];
        double maxY = yr[1];
        g.setFont(plain());
        FontMetrics fm = g.getFontMetrics();
        for (double v : logY ? logTicks(minY, maxY) : ticks(minY, maxY, 5, false)) {
            int yy = yPixel(v, minY, maxY, top + inset, bottom - inset);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left, yy, right, yy);
            g.setColor(Color.DARK_GRAY);
            String label = logY ? format(Math.pow(10, v)) : format(v);
            g.drawString(label, left - 6 - fm.stringWidth(label), yy + 4);
        }
        for (double v : ticks(minX, maxX, 6, integerX)) {
            int xx = xPixel(v, minX, maxX, left + inset, right - inset);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(xx, bottom, xx, bottom + 4);
            String label = integerX ? String.valueOf(Math.round(v)) : format(v);
            g.drawString(label, xx - fm.stringWidth(label) / 2, bottom + 16);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, right - left, bottom - top);
        g.drawString(xLabel, (left + right) / 2 - fm.stringWidth(xLabel) / 2, bottom + 34);
        if (yLabel != null) {
            java.awt.geom.AffineTransform unrotated = g.getTransform();
            g.rotate(-Math.PI / 2); // (x, y) now lands at (y, -x): text reads upwards along the axis
            g.drawString(yLabel, -((top + bottom) / 2 + fm.stringWidth(yLabel) / 2), ox + 14);
            g.setTransform(unrotated);
        }
        java.awt.Shape clip = g.getClip();
        g.setClip(left + 1, top + 1, right - left - 1, bottom - top - 1);
        int n = series.size();
        for (int k = 0; k < n; k++) {
            Series s = series.get(k);
            g.setColor(color(k));
            // earlier series wider: series with equal values show as stripes, none hides another
            g.setStroke(stroke(k, n));
            int px = -1;
            int py = -1;
            int points = 0;
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) {
                    px = -1;
                    continue;
                }
                int xx = xPixel(s.x()[i], minX, maxX, left + inset, right - inset);
                int yy = yPixel(ty(s.y()[i]), minY, maxY, top + inset, bottom - inset);
                if (!s.points() && px >= 0) {
                    g.drawLine(px, py, xx, yy);
                }
                px = xx;
                py = yy;
                points++;
            }
            // markers where there are few points (layers, validation), not on dense training curves
            if (s.points() || points <= 15) {
                g.setStroke(new BasicStroke(1.2f));
                for (int i = 0; i < s.x().length; i++) {
                    if (Double.isFinite(s.y()[i])) {
                        int xx = xPixel(s.x()[i], minX, maxX, left + inset, right - inset);
                        int yy = yPixel(ty(s.y()[i]), minY, maxY, top + inset, bottom - inset);
                        marker(g, k, xx, yy);
                    }
                }
            }
        }
        g.setClip(clip);
        Rectangle legend = layout.legend();
        int lx = legend.x;
        int ly = legend.y + 12;
        for (int k = 0; k < n; k++) {
            Series s = series.get(k);
            int entry = legendEntryWidth(fm, k);
            if (lx > legend.x && lx + entry > legend.x + legend.width) {
                lx = legend.x;
                ly += 14;
            }
            g.setColor(color(k));
            if (!s.points()) {
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        DASHES[k % DASHES.length], 0f));
                g.drawLine(lx, ly - 4, lx + 22, ly - 4);
            }
            g.setStroke(new BasicStroke(1.2f));
            marker(g, k, lx + 11, ly - 4);
            g.setColor(Color.BLACK);
            g.drawString(legendName(k), lx + 28, ly);
            lx += entry;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static int xPixel(double x, double min, double max, int from, int to) {
        return from + (int) Math.round((x - min) / (max - min) * (to - from));
    }

    private static int yPixel(double y, double min, double max, int top, int bottom) {
        return bottom - (int) Math.round((y - min) / (max - min) * (bottom - top));
    }

    private static BasicStroke stroke(int k, int n) {
        float width = Math.min(5f, 1.6f + 1.1f * (n - 1 - k));
        float[] dash = DASHES[k % DASHES.length];
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                dash == null ? null : scale(dash, Math.max(1f, width / 2)), 0f);
    }

    private static float[] scale(float[] dash, float f) {
        float[] out = dash.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= f;
        }
        return out;
    }

    /** A marker of its own shape per series: circle, square, triangle, diamond, ... */
    private static void marker(Graphics2D g, int k, int x, int y) {
        int r = 4;
        switch (k % 4) {
            case 0 -> g.fillOval(x - r, y - r, 2 * r, 2 * r);
            case 1 -> g.drawRect(x - r, y - r, 2 * r, 2 * r);
            case 2 -> g.drawPolygon(new int[] {x - r, x + r, x}, new int[] {y + r, y + r, y - r}, 3);
            default -> g.drawPolygon(new int[] {x - r, x, x + r, x}, new int[] {y, y - r, y, y + r}, 4);
        }
    }

    /**
     * Ticks of a log axis ({@code lo} and {@code hi} are powers of ten): the powers of ten inside it, or, over
     * less than two decades, the 1-2-5 values (then every whole multiple) of each decade, so labels read 3, not
     * 3.162278.
     */
    static double[] logTicks(double lo, double hi) {
        for (int[] mantissas : new int[][] {{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
            List<Double> t = new ArrayList<>();
            for (double d = Math.floor(lo); d <= Math.ceil(hi); d++) {
                for (int m : mantissas) {
                    double v = d + Math.log10(m);
                    if (v >= lo - 1e-9 && v <= hi + 1e-9) {
                        t.add(v);
                    }
                }
            }
            if (t.size() >= 2) {
                return t.stream().mapToDouble(Double::doubleValue).toArray();
            }
        }
        return new double[] {lo, hi}; // within one step of 10^(1/9): the ends themselves
    }

    private static String format(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            String s = String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "");
            return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        }
        return String.format(Locale.ROOT, "%.2g", v);
    }
}
