package org.mert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plots of mert probe (layers.png) and mert plot (curves.png) show every line, in a readable frame. */
class LineChartTest {

    /** Two series with the same values (two baselines scoring alike): the first must not vanish under the second. */
    @Test
    void identicalLinesBothStayVisible(@TempDir Path tmp) throws Exception {
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        double[] y = {0.2, 0.3, 0.5, 0.6, 0.62, 0.64, 0.66, 0.7, 0.69, 0.68, 0.66, 0.6, 0.55};
        Path png = tmp.resolve("layers.png");
        LineChart.writePng(png, List.of(new LineChart("accuracy per layer", "layer", false)
                .line("random-init", x, y).line("mfcc", x, y.clone())), 1);
        BufferedImage img = ImageIO.read(png.toFile());
        // inside the plot only (left of where a legend used to sit, above the axis)
        int first = 0;
        int second = 0;
        for (int px = 80; px < 380; px++) {
            for (int py = 40; py < 290; py++) {
                int rgb = img.getRGB(px, py) & 0xFFFFFF;
                first += rgb == (LineChart.color(0).getRGB() & 0xFFFFFF) ? 1 : 0;
                second += rgb == (LineChart.color(1).getRGB() & 0xFFFFFF) ? 1 : 0;
            }
        }
        assertTrue(first > 100 && second > 100, "pixels of each series: " + first + ", " + second);
    }

    @Test
    void stepsAndLayersGetWholeNumberTicks() {
        assertEquals(List.of(0.0, 1.0, 2.0), boxed(LineChart.ticks(0, 2, 6, true)));
        for (double t : LineChart.ticks(1, 30, 6, true)) {
            assertEquals(Math.rint(t), t, "tick " + t);
        }
        assertEquals(List.of(0.0, 0.5, 1.0), boxed(LineChart.ticks(0, 1, 4, false)), "round numbers: 1, 2 or 5 x 10^k");
    }

    @Test
    void accuraciesStayBetweenZeroAndOne() {
        double[] acc = new LineChart("a", "layer", false).line("x", new double[] {0, 1, 2}, new double[] {0, 0.4, 1})
                .yRange();
        assertEquals(0.0, acc[0], "no axis below zero for values that cannot be negative");
        assertEquals(1.0, acc[1], "no axis above one for fractions");
        double[] r2 = new LineChart("r2", "layer", false).line("x", new double[] {0, 1}, new double[] {-0.5, 0.5})
                .yRange();
        assertTrue(r2[0] < -0.5, "negative values keep their padding");
    }

    @Test
    void theLegendNeverCoversThePlot() {
        LineChart c = new LineChart("loss", "step", true).integerX();
        for (String name : new String[] {"total", "acoustic", "cqt", "feature penalty", "validation loss of a long name"}) {
            c.line(name, new double[] {1, 2}, new double[] {1, 2});
        }
        Graphics2D g = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB).createGraphics();
        LineChart.Layout layout = c.layout(g, 0, 0, LineChart.WIDTH, LineChart.HEIGHT);
        assertFalse(layout.plot().intersects(layout.legend()), layout.toString());
        assertTrue(layout.legend().y + layout.legend().height <= LineChart.HEIGHT, layout.toString());
        assertTrue(layout.plot().height > LineChart.HEIGHT / 2, layout.toString());
    }

    @Test
    void theLegendNamesSeriesWithTheSameValues() {
        LineChart c = new LineChart("a", "layer", false).line("random-init", new double[] {0, 2}, new double[] {1, 1})
                .line("mfcc", new double[] {0, 2}, new double[] {1, 1});
        assertEquals("random-init", c.legendName(0));
        assertEquals("mfcc (= random-init)", c.legendName(1));
    }

    private static List<Double> boxed(double[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }

    @org.junit.jupiter.api.Test
    void logTicksAreRoundNumbersEvenWithinOneDecade() {
        for (double[] range : new double[][] {{0.3, 0.9}, {2.5, 4}, {0.011, 0.5}, {1, 1000}}) {
            double[] t = LineChart.logTicks(Math.log10(range[0]), Math.log10(range[1]));
            org.junit.jupiter.api.Assertions.assertTrue(t.length >= 2, java.util.Arrays.toString(range));
            for (double v : t) {
                double x = Math.pow(10, v);
                double mantissa = x / Math.pow(10, Math.floor(Math.log10(x) + 1e-9));
                org.junit.jupiter.api.Assertions.assertEquals(Math.round(mantissa), mantissa, 1e-9,
                        x + " is not a round tick for " + java.util.Arrays.toString(range));
                org.junit.jupiter.api.Assertions.assertTrue(x >= range[0] * (1 - 1e-9) && x <= range[1] * (1 + 1e-9));
            }
        }
    }
}
