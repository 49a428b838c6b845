package org.mert4j.cli.charts;

import java.awt.Graphics2D;
import java.awt.font.TextAttribute;
import java.awt.geom.Rectangle2D;
import java.math.BigDecimal;
import java.text.AttributedString;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A log axis whose ticks are round numbers written out: 1, 2, 5 (then every whole multiple) of each decade
 * when the range is short, powers of ten when it spans decades. JFreeChart's own {@link LogAxis} steps through
 * exponents, which inside one decade lands on values like 3.162278.
 */
final class RoundLogAxis extends LogAxis {
    /** Powers of ten are thinned out to about this many ticks on ranges of many decades. */
    private static final int MAX_DECADE_TICKS = 8;

    RoundLogAxis(String label) {
        super(label);
    }

    /**
     * The round ticks between {@code lo} and {@code hi} (both positive), exact as decimals: the powers of ten
     * inside the range if there are two, else the 1-2-5 values of each decade, else every whole multiple of a
     * power of ten; on a range shorter than that (3.1 to 3.3), round steps of a linear axis.
     */
    static List<BigDecimal> ticks(double lo, double hi) {
        int first = (int) Math.floor(Math.log10(lo));
        int last = (int) Math.ceil(Math.log10(hi));
        int decadeStep = Math.max(1, (last - first + MAX_DECADE_TICKS - 1) / MAX_DECADE_TICKS);
        for (int[] mantissas : new int[][] {{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
            List<BigDecimal> ticks = new ArrayList<>();
            for (int e = first; e <= last; e++) {
                if (mantissas.length == 1 && Math.floorMod(e, decadeStep) != 0) {
                    continue;
                }
                for (int m : mantissas) {
                    BigDecimal t = BigDecimal.valueOf(m).scaleByPowerOfTen(e);
                    if (inside(t, lo, hi)) {
                        ticks.add(t);
                    }
                }
            }
            if (ticks.size() >= 2) {
                return ticks;
            }
        }
        return linearTicks(lo, hi);
    }

    /** The coarsest step of 1, 2 or 5 times a power of ten that puts two ticks or more inside the range. */
    private static List<BigDecimal> linearTicks(double lo, double hi) {
        int e = (int) Math.floor(Math.log10(hi - lo));
        // a step of 10^(e-1) fits ten times into hi - lo >= 10^e, so the loop always returns
        for (int exponent = e; exponent >= e - 1; exponent--) {
            for (int m : new int[] {5, 2, 1}) {
                BigDecimal step = BigDecimal.valueOf(m).scaleByPowerOfTen(exponent);
                List<BigDecimal> ticks = new ArrayList<>();
                BigDecimal first = BigDecimal.valueOf(Math.ceil(lo / step.doubleValue())).multiply(step);
                for (BigDecimal t = first; t.doubleValue() <= hi * (1 + 1e-9); t = t.add(step)) {
                    if (inside(t, lo, hi)) {
                        ticks.add(t);
                    }
                }
                if (ticks.size() >= 2) {
                    return ticks;
                }
            }
        }
        return List.of();
    }

    private static boolean inside(BigDecimal t, double lo, double hi) {
        return t.doubleValue() >= lo * (1 - 1e-9) && t.doubleValue() <= hi * (1 + 1e-9);
    }

    /** 0.3, 20, 1000; far from 1, 1e-8 or 5e6. */
    static String label(BigDecimal tick) {
        BigDecimal t = tick.stripTrailingZeros();
        double a = t.abs().doubleValue();
        return a >= 1e-3 && a < 1e6 ? t.toPlainString() : t.toString().replace("E+", "e").replace('E', 'e');
    }

    @Override
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        TextAnchor anchor = RectangleEdge.isTopOrBottom(edge) ? TextAnchor.TOP_CENTER : TextAnchor.CENTER_RIGHT;
        List<LogTick> result = new ArrayList<>();
        for (BigDecimal t : ticks(getLowerBound(), getUpperBound())) {
            AttributedString label = new AttributedString(label(t));
            label.addAttribute(TextAttribute.FONT, getTickLabelFont());
            result.add(new LogTick(TickType.MAJOR, t.doubleValue(), label, anchor));
        }
        return result;
    }
}
