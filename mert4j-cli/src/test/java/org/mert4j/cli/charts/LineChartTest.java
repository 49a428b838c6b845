package org.mert4j.cli.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.entity.LegendItemEntity;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plots of mert probe (layers.png) and mert plot (curves.png) show every line, in a readable frame. */
class LineChartTest {

    /** A chart drawn as writePng draws it, with where JFreeChart put the plot and the legend. */
    private record Drawn(BufferedImage image, JFreeChart chart, Rectangle2D dataArea, Graphics2D g,
            ChartRenderingInfo info) {}

    private static Drawn draw(LineChart c) {
        BufferedImage img = new BufferedImage(LineChart.WIDTH, LineChart.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        JFreeChart chart = c.chart();
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.draw(g, new Rectangle2D.Double(0, 0, LineChart.WIDTH, LineChart.HEIGHT), info);
        return new Drawn(img, chart, info.getPlotInfo().getDataArea(), g, info);
    }

    /** The labels of the y axis' ticks as the chart lays them out. */
    private static List<String> yTickLabels(Drawn d) {
        List<String> labels = new ArrayList<>();
        for (Object t : d.chart().getXYPlot().getRangeAxis().refreshTicks(d.g(), new AxisState(), d.dataArea(),
                RectangleEdge.LEFT)) {
            ValueTick tick = (ValueTick) t;
            if (tick instanceof LogTick log) {
                var it = log.getAttributedLabel().getIterator();
                StringBuilder s = new StringBuilder();
                for (char ch = it.first(); ch != java.text.CharacterIterator.DONE; ch = it.next()) {
                    s.append(ch);
                }
                labels.add(s.toString());
            } else {
                labels.add(tick.getText());
            }
        }
        return labels;
    }

    @Test
    void writesOnePngCellPerChartInAGrid(@TempDir Path tmp) throws Exception {
        Path png = tmp.resolve("curves.png");
        double[] x = {1, 2, 3};
        List<LineChart> charts = List.of(new LineChart("a", "step", false).line("a", x, x),
                new LineChart("b", "step", true).line("b", x, x), new LineChart("c", "step", false).line("c", x, x));
        LineChart.writePng(png, charts, 2);
        try (InputStream in = Files.newInputStream(png)) {
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, in.readNBytes(4), "PNG signature");
        }
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(2 * LineChart.WIDTH, img.getWidth());
        assertEquals(2 * LineChart.HEIGHT, img.getHeight());
        // the fourth cell has no chart: all white; the first has a curve in the first series' colour
        assertEquals(0, count(img, new Rectangle2D.Double(LineChart.WIDTH, LineChart.HEIGHT, LineChart.WIDTH,
                LineChart.HEIGHT), c -> (c & 0xFFFFFF) != 0xFFFFFF));
        assertTrue(count(img, new Rectangle2D.Double(0, 0, LineChart.WIDTH, LineChart.HEIGHT),
                c -> near(c, LineChart.color(0))) > 50);
    }

    /** Two series with the same values (two baselines scoring alike): the first must not vanish under the second. */
    @Test
    void identicalLinesBothStayVisible() {
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        double[] y = {0.2, 0.3, 0.5, 0.6, 0.62, 0.64, 0.66, 0.7, 0.69, 0.68, 0.66, 0.6, 0.55};
        Drawn d = draw(new LineChart("accuracy per layer", "layer", false).integerX()
                .line("random-init", x, y).line("mfcc", x, y.clone()));
        int first = count(d.image(), d.dataArea(), c -> near(c, LineChart.color(0)));
        int second = count(d.image(), d.dataArea(), c -> near(c, LineChart.color(1)));
        assertTrue(first > 100 && second > 100, "pixels of each series: " + first + ", " + second);
    }

    @Test
    void stepsAndLayersGetWholeNumberTicks() {
        for (double[] x : new double[][] {{0, 1, 2}, {1, 7, 30}, {10, 500, 1000}}) {
            Drawn d = draw(new LineChart("a", "layer", false).integerX().line("x", x, new double[] {0.1, 0.5, 0.9}));
            List<?> ticks = d.chart().getXYPlot().getDomainAxis().refreshTicks(d.g(), new AxisState(), d.dataArea(),
                    RectangleEdge.BOTTOM);
            List<ValueTick> major = ticks.stream().map(ValueTick.class::cast)
                    .filter(t -> t.getTickType() == TickType.MAJOR).toList();
            assertTrue(major.size() >= 2, Arrays.toString(x));
            for (ValueTick t : major) {
                double v = t.getValue();
                assertEquals(Math.rint(v), v, "tick " + v + " on " + Arrays.toString(x));
                assertEquals(String.valueOf(Math.round(v)), t.getText(), "no decimals, no grouping");
            }
        }
    }

    @Test
    void logScaleTicksReadAsRoundNumbers() {
        for (double[] range : new double[][] {{0.3, 0.9}, {2.5, 4}, {0.011, 0.5}, {1, 1000}, {3.1, 3.3}, {1e-8, 1}}) {
            Drawn d = draw(new LineChart("loss", "step", true).integerX().yLabel("loss (log)")
                    .line("total", new double[] {1, 2}, range));
            List<String> labels = yTickLabels(d);
            assertTrue(labels.size() >= 2, Arrays.toString(range) + ": " + labels);
            for (String label : labels) {
                BigDecimal v = new BigDecimal(label);
                assertTrue(v.stripTrailingZeros().precision() <= 2, label + " is not a round tick for "
                        + Arrays.toString(range));
            }
        }
        Drawn decades = draw(new LineChart("loss", "step", true).line("total", new double[] {1, 2}, new double[] {1, 1000}));
        assertEquals(List.of("1", "10", "100", "1000"), yTickLabels(decades));
        Drawn oneDecade = draw(new LineChart("loss", "step", true).line("total", new double[] {1, 2}, new double[] {2.5, 4}));
        assertEquals(List.of("3", "4"), yTickLabels(oneDecade), "3, not 3.162278");
    }

    @Test
    void roundLogTicksAreExactDecimals() {
        assertEquals(List.of("0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"),
                RoundLogAxis.ticks(0.3, 0.9).stream().map(RoundLogAxis::label).toList());
        assertEquals(List.of("0.02", "0.05", "0.1", "0.2", "0.5"),
                RoundLogAxis.ticks(0.011, 0.5).stream().map(RoundLogAxis::label).toList());
        assertEquals(List.of("3.1", "3.2", "3.3"), RoundLogAxis.ticks(3.1, 3.3).stream().map(RoundLogAxis::label).toList());
        List<String> many = RoundLogAxis.ticks(1e-12, 1e6).stream().map(RoundLogAxis::label).toList();
        assertTrue(many.size() >= 2 && many.size() <= 10, "decades thinned out: " + many);
        assertTrue(many.contains("1e-12") && many.contains("1"), many.toString());
    }

    @Test
    void bothAxesAreNamed() {
        JFreeChart chart = new LineChart("loss", "step", true).integerX().yLabel("loss (log)")
                .line("total", new double[] {1, 2}, new double[] {3, 2}).chart();
        assertEquals("step", chart.getXYPlot().getDomainAxis().getLabel());
        assertEquals("loss (log)", chart.getXYPlot().getRangeAxis().getLabel());
        assertEquals("loss", chart.getTitle().getText());
    }

    @Test
    void accuraciesStayBetweenZeroAndOne() {
        LineChart acc = new LineChart("a", "layer", false).line("x", new double[] {0, 1, 2}, new double[] {0, 0.4, 1});
        var range = acc.chart().getXYPlot().getRangeAxis().getRange();
        assertEquals(0.0, range.getLowerBound(), "no axis below zero for values that cannot be negative");
        assertEquals(1.0, range.getUpperBound(), "no axis above one for fractions");
        double[] r2 = new LineChart("r2", "layer", false).line("x", new double[] {0, 1}, new double[] {-0.5, 0.5})
                .yRange();
        assertTrue(r2[0] < -0.5, "negative values keep their padding");
    }

    @Test
    void aLegendOnlyForSeveralSeries() {
        double[] x = {1, 2};
        assertNull(new LineChart("lr", "step", false).line("lr", x, x).chart().getLegend());
        JFreeChart two = new LineChart("a", "layer", false).line("random-init", x, new double[] {1, 1})
                .points("validation", x, new double[] {2, 2}).chart();
        assertNotNull(two.getLegend());
        List<String> names = new ArrayList<>();
        LegendItemCollection items = two.getXYPlot().getLegendItems();
        for (int i = 0; i < items.getItemCount(); i++) {
            names.add(items.get(i).getLabel());
        }
        assertEquals(List.of("random-init", "validation"), names);
    }

    @Test
    void theLegendNeverCoversThePlot() {
        LineChart c = new LineChart("loss", "step", true).integerX().yLabel("loss (log)");
        for (String name : new String[] {"total", "acoustic", "cqt", "feature penalty", "validation loss of a long name"}) {
            c.line(name, new double[] {1, 2}, new double[] {1, 2});
        }
        Drawn d = draw(c);
        List<Rectangle2D> entries = new ArrayList<>();
        for (Object e : d.info().getEntityCollection().getEntities()) {
            if (e instanceof LegendItemEntity item) {
                entries.add(item.getArea().getBounds2D());
            }
        }
        assertEquals(5, entries.size(), "one legend entry per series");
        Rectangle2D plotArea = d.info().getPlotInfo().getPlotArea(); // the data area with its axes
        for (Rectangle2D entry : entries) {
            assertTrue(entry.getMinY() >= plotArea.getMaxY() && entry.getMaxY() <= LineChart.HEIGHT,
                    entry + " below " + plotArea);
        }
        assertTrue(d.dataArea().getHeight() > LineChart.HEIGHT / 2.0, d.dataArea().toString());
    }

    @Test
    void theLegendNamesSeriesWithTheSameValues() {
        LineChart c = new LineChart("a", "layer", false).line("random-init", new double[] {0, 2}, new double[] {1, 1})
                .line("mfcc", new double[] {0, 2}, new double[] {1, 1});
        assertEquals("random-init", c.legendName(0));
        assertEquals("mfcc (= random-init)", c.legendName(1));
    }

    @Test
    void seriesWithTheSameNameAreBothDrawn() {
        double[] x = {1, 2};
        JFreeChart chart = new LineChart("a", "layer", false).line("tiny", x, new double[] {1, 2})
                .line("tiny", x, new double[] {2, 3}).chart();
        assertEquals(2, chart.getXYPlot().getDataset().getSeriesCount());
    }

    private static int count(BufferedImage img, Rectangle2D area, java.util.function.IntPredicate rgb) {
        int n = 0;
        for (int px = (int) area.getMinX(); px < (int) area.getMaxX(); px++) {
            for (int py = (int) area.getMinY(); py < (int) area.getMaxY(); py++) {
                n += rgb.test(img.getRGB(px, py)) ? 1 : 0;
            }
        }
        return n;
    }

    /** Within antialiasing's blend of the colour: each channel close to it. */
    private static boolean near(int rgb, Color c) {
        Color p = new Color(rgb);
        return Math.abs(p.getRed() - c.getRed()) < 30 && Math.abs(p.getGreen() - c.getGreen()) < 30
                && Math.abs(p.getBlue() - c.getBlue()) < 30;
    }
}
