package org.mert4j.cli.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.imageio.ImageIO;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.mert4j.io.AtomicFiles;

/**
 * A line chart of {@code mert plot} and {@code mert probe}, drawn by JFreeChart: a title, named axes with
 * round-number ticks (a log y axis reads 1, 2, 5, 10 or powers of ten, see {@link RoundLogAxis}), one line or
 * set of points per series and, for several series, a legend under the plot. Series differ in colour, dash
 * pattern and marker, and earlier series are drawn wider, so lines with the same values stay visible as
 * stripes. An integer x axis (steps, layers) gets whole-number ticks only; a y axis whose values are all
 * non-negative never extends below zero, and one of fractions in [0, 1] (accuracies) never above one.
 */
public final class LineChart {
    static {
        // charts are drawn into images, also on machines without a display
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127)};
    private static final float[][] DASHES = {null, {9f, 4f}, {3f, 3f}, {12f, 3f, 3f, 3f}};
    private static final Color GRID = new Color(225, 225, 225);
    /** Series with more points than this are drawn as bare lines: markers would cover a dense curve. */
    private static final int MAX_MARKED_POINTS = 15;
    /** The size of one chart in the PNG; several are laid out in a grid of such cells. */
    static final int WIDTH = 560;
    static final int HEIGHT = 360;

    private record Series(String name, double[] x, double[] y, boolean points) {}

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

    /** Draws several charts in a grid of {@code columns} into one PNG of {@link #WIDTH} by {@link #HEIGHT} cells. */
    public static void writePng(Path file, List<LineChart> charts, int columns) throws IOException {
        BufferedImage img = render(charts, columns);
        AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }

    static BufferedImage render(List<LineChart> charts, int columns) {
        int rows = (charts.size() + columns - 1) / columns;
        BufferedImage img = new BufferedImage(WIDTH * columns, HEIGHT * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            Rectangle2D cell = new Rectangle2D.Double((i % columns) * WIDTH, (i / columns) * HEIGHT, WIDTH, HEIGHT);
            charts.get(i).chart().draw(g, cell);
        }
        g.dispose();
        return img;
    }

    static Color color(int series) {
        return PALETTE[series % PALETTE.length];
    }

    /** A series' legend entry; one with the same points as an earlier series says so ("= mfcc"). */
    String legendName(int k) {
        Series s = series.get(k);
        for (int j = 0; j < k; j++) {
            Series o = series.get(j);
            if (Arrays.equals(s.x(), o.x()) && Arrays.equals(s.y(), o.y())) {
                return s.name() + " (= " + o.name() + ")";
            }
        }
        return s.name();
    }

    /** The chart as JFreeChart holds it: data, axes, renderer and legend, ready to draw. */
    JFreeChart chart() {
        XYSeriesCollection data = new XYSeriesCollection();
        Set<String> keys = new HashSet<>();
        for (int k = 0; k < series.size(); k++) {
            String key = legendName(k);
            // the collection wants distinct keys; two series may share a name
            for (int n = 2; !keys.add(key); n++) {
                key = legendName(k) + " (" + n + ")";
            }
            data.addSeries(xySeries(key, series.get(k)));
        }
        XYPlot plot = new XYPlot(data, xAxis(), yAxis(), renderer());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(Color.DARK_GRAY);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setNoDataMessage("no data");
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        // first series drawn first: the wider early lines stay visible under later ones with the same values
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);

        JFreeChart chart = new JFreeChart(null, null, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 8, 6, 14));
        TextTitle heading = new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 14));
        heading.setHorizontalAlignment(HorizontalAlignment.LEFT);
        heading.setPadding(new RectangleInsets(2, 0, 6, 0));
        chart.setTitle(heading);
        if (series.size() > 1) {
            LegendTitle legend = new LegendTitle(plot);
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 14)); // space between entries
            legend.setFrame(BlockBorder.NONE);
            legend.setBackgroundPaint(Color.WHITE);
            chart.addLegend(legend);
        }
        return chart;
    }

    /** Points that cannot be drawn (not finite, or not positive on a log axis) are left out as gaps. */
    private XYSeries xySeries(String key, Series s) {
        XYSeries out = new XYSeries(key, false, true);
        for (int i = 0; i < s.x().length; i++) {
            out.add(s.x()[i], drawable(s.y()[i]) ? (Double) s.y()[i] : null);
        }
        return out;
    }

    private boolean drawable(double y) {
        return Double.isFinite(y) && (!logY || y > 0);
    }

    private ValueAxis xAxis() {
        NumberAxis axis = new NumberAxis(xLabel);
        style(axis);
        axis.setAutoRangeIncludesZero(false);
        // a small margin on both sides, also at zero, so that the first and last points sit inside the frame
        axis.setAutoRangeStickyZero(false);
        axis.setLowerMargin(0.02);
        axis.setUpperMargin(0.02);
        axis.setStandardTickUnits(roundTickUnits(integerX ? 0 : -10));
        // room around each label: JFreeChart fits as many ticks as labels allow, this keeps about six
        axis.setTickLabelInsets(new RectangleInsets(4, 16, 2, 16));
        return axis;
    }

    private ValueAxis yAxis() {
        double[] range = yRange();
        ValueAxis axis;
        if (logY) {
            axis = new RoundLogAxis(yLabel);
        } else {
            NumberAxis linear = new NumberAxis(yLabel);
            linear.setStandardTickUnits(roundTickUnits(-10));
            linear.setTickLabelInsets(new RectangleInsets(14, 4, 14, 4));
            axis = linear;
        }
        style(axis);
        if (range != null) {
            axis.setRange(range[0], range[1]);
        }
        return axis;
    }

    private static void style(ValueAxis axis) {
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        axis.setTickLabelPaint(Color.DARK_GRAY);
        axis.setAxisLineVisible(false);
    }

    /**
     * Tick steps of 1, 2 or 5 times a power of ten from 10^{@code smallestExponent} on, written plainly
     * (0.0005, 1000: no grouping, no trailing zeros, the same in every locale).
     */
    private static TickUnits roundTickUnits(int smallestExponent) {
        DecimalFormat plain = new DecimalFormat("0.##########", DecimalFormatSymbols.getInstance(Locale.ROOT));
        TickUnits units = new TickUnits();
        for (int e = smallestExponent; e <= 12; e++) {
            for (int m : new int[] {1, 2, 5}) {
                units.add(new NumberTickUnit(BigDecimal.valueOf(m).scaleByPowerOfTen(e).doubleValue(), plain));
            }
        }
        return units;
    }

    private XYLineAndShapeRenderer renderer() {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        // one path per series, so that dash patterns run on across points instead of restarting at each
        r.setDrawSeriesLineAsPath(true);
        r.setLegendLine(new Line2D.Double(-12, 0, 12, 0));
        int n = series.size();
        for (int k = 0; k < n; k++) {
            Series s = series.get(k);
            r.setSeriesPaint(k, color(k));
            r.setSeriesStroke(k, stroke(k, n));
            r.setSeriesOutlineStroke(k, new BasicStroke(1.2f));
            r.setSeriesLinesVisible(k, !s.points());
            r.setSeriesShapesVisible(k, s.points() || s.x().length <= MAX_MARKED_POINTS);
            r.setSeriesShape(k, marker(k));
            r.setSeriesShapesFilled(k, k % 4 == 0);
        }
        r.setUseOutlinePaint(false);
        return r;
    }

    /** Earlier series wider: series with equal values show as stripes, none hides another. */
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

    /** A marker of its own shape per series: circle, square, triangle, diamond. */
    private static Shape marker(int k) {
        double r = 4;
        return switch (k % 4) {
            case 0 -> new Ellipse2D.Double(-r, -r, 2 * r, 2 * r);
            case 1 -> new Rectangle2D.Double(-r, -r, 2 * r, 2 * r);
            case 2 -> ShapeUtils.createUpTriangle((float) r);
            default -> ShapeUtils.createDiamond((float) r);
        };
    }

    /** The y range shown: the data padded by 5%, the padding never crossing 0 (or 1, for fractions). */
    double[] yRange() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.y()) {
                if (drawable(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!Double.isFinite(min)) {
            return null;
        }
        if (logY) {
            // padded in decades, the scale the axis draws
            double a = Math.log10(min);
            double b = Math.log10(max);
            if (a == b) {
                a -= 0.5;
                b += 0.5;
            }
            double pad = (b - a) * 0.05;
            return new double[] {Math.pow(10, a - pad), Math.pow(10, b + pad)};
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
}
