package org.walrusjava.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Curves against step (1, 2, ..., N) on a logarithmic y axis, with decade ticks, a legend, and optional shaded
 * bands (for example the range of an ensemble's members). Points that are not finite or not positive cannot be
 * drawn on a log axis and break the curve there.
 */
public final class LinePlot {
    /** A curve: values[t] at step t + 1; optional band low[t]..high[t]; dashed for baselines. */
    public record Series(String name, double[] values, Optional<double[][]> band, boolean dashed) {
        public static Series line(String name, double[] values) {
            return new Series(name, values, Optional.empty(), false);
        }

        public static Series dashed(String name, double[] values) {
            return new Series(name, values, Optional.empty(), true);
        }

        public static Series withBand(String name, double[] values, double[] low, double[] high) {
            return new Series(name, values, Optional.of(new double[][] {low, high}), false);
        }
    }

    /** Matplotlib's "tab10" qualitative colours: distinct, and readable for most colour-blind viewers. */
    static final int[] PALETTE = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f,
        0xbcbd22, 0x17becf};

    private static final int LEFT = 78;
    private static final int RIGHT = 170;
    private static final int TOP = 36;
    private static final int BOTTOM = 50;

    private final String title;
    private final String yLabel;
    private final List<Series> series;
    private final int width;
    private final int height;

    public LinePlot(String title, String yLabel, List<Series> series, int width, int height) {
        Headless.ensure();
        if (series.isEmpty()) throw new IllegalArgumentException("a plot needs at least one series");
        this.title = title;
        this.yLabel = yLabel;
        this.series = List.copyOf(series);
        this.width = width;
        this.height = height;
    }

    /** The colour of series i. */
    public static Color colour(int i) {
        return new Color(PALETTE[i % PALETTE.length]);
    }

    public BufferedImage render() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            Axes axes = axes();
            drawFrame(g, axes);
            for (int s = 0; s < series.size(); s++) drawSeries(g, axes, series.get(s), colour(s));
            drawLegend(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Pixel mapping: x over steps 1..N, y over whole decades covering every drawable value. */
    private record Axes(double xMin, double xMax, int decadeLow, int decadeHigh, int left, int right, int top,
                        int bottom) {
        double px(double step) {
            return left + (step - xMin) / (xMax - xMin) * (right - left);
        }

        double py(double value) {
            double t = (Math.log10(value) - decadeLow) / (decadeHigh - decadeLow);
            return bottom - t * (bottom - top);
        }
    }

    private Axes axes() {
        int steps = 1;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            steps = Math.max(steps, s.values().length);
            List<double[]> all = new ArrayList<>(List.of(s.values()));
            s.band().ifPresent(b -> all.addAll(List.of(b)));
            for (double[] a : all) {
                for (double v : a) {
                    if (drawable(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        int decadeLow = lo <= hi ? (int) Math.floor(Math.log10(lo)) : -1;
        int decadeHigh = lo <= hi ? (int) Math.ceil(Math.log10(hi)) : 1;
        if (decadeHigh <= decadeLow) decadeHigh = decadeLow + 1;
        double xMax = Math.max(steps, 2);
        return new Axes(1, xMax, decadeLow, decadeHigh, LEFT, width - RIGHT, TOP, height - BOTTOM);
    }

    private void drawFrame(Graphics2D g, Axes a) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, a.left(), 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        int every = Math.max(1, (a.decadeHigh() - a.decadeLow() + 7) / 8);
        for (int d = a.decadeLow(); d <= a.decadeHigh(); d++) {
            int y = (int) Math.round(a.py(Math.pow(10, d)));
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(a.left(), y, a.right(), y);
            for (int m = 2; m < 10 && d < a.decadeHigh(); m++) {
                int ym = (int) Math.round(a.py(m * Math.pow(10, d)));
                g.setColor(Color.BLACK);
                g.drawLine(a.left() - 3, ym, a.left(), ym);
            }
            g.setColor(Color.BLACK);
            g.drawLine(a.left() - 6, y, a.left(), y);
            if ((d - a.decadeLow()) % every == 0) {
                String label = "1e" + d;
                g.drawString(label, a.left() - 9 - fm.stringWidth(label), y + 4);
            }
        }
        for (double step : xTicks(a.xMin(), a.xMax())) {
            int x = (int) Math.round(a.px(step));
            g.drawLine(x, a.bottom(), x, a.bottom() + 5);
            String label = Long.toString(Math.round(step));
            g.drawString(label, x - fm.stringWidth(label) / 2, a.bottom() + 18);
        }
        g.drawRect(a.left(), a.top(), a.right() - a.left(), a.bottom() - a.top());
        g.drawString("step", (a.left() + a.right()) / 2 - fm.stringWidth("step") / 2, a.bottom() + 36);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(a.top() + a.bottom()) / 2 - fm.stringWidth(yLabel) / 2, 16);
        rotated.dispose();
    }

    /** Round steps (1, 2 or 5 times a power of ten apart), at most about eight of them. */
    static List<Double> xTicks(double min, double max) {
        double span = max - min;
        double spacing = 1;
        for (double base = 1; spacing * 8 < span; base *= 10) {
            for (double m : new double[] {1, 2, 5}) {
                spacing = m * base;
                if (spacing * 8 >= span) break;
            }
        }
        List<Double> ticks = new ArrayList<>();
        if (min == 1) ticks.add(1.0);
        for (double t = Math.ceil(min / spacing) * spacing; t <= max; t += spacing) if (t > 1) ticks.add(t);
        return ticks;
    }

    private void drawSeries(Graphics2D g, Axes a, Series s, Color colour) {
        s.band().ifPresent(b -> {
            g.setColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 60));
            for (int t = 0; t + 1 < b[0].length; t++) {
                if (!(drawable(b[0][t]) && drawable(b[1][t]) && drawable(b[0][t + 1]) && drawable(b[1][t + 1]))) continue;
                Path2D quad = new Path2D.Double();
                quad.moveTo(a.px(t + 1), a.py(b[1][t]));
                quad.lineTo(a.px(t + 2), a.py(b[1][t + 1]));
                quad.lineTo(a.px(t + 2), a.py(b[0][t + 1]));
                quad.lineTo(a.px(t + 1), a.py(b[0][t]));
                quad.closePath();
                g.fill(quad);
            }
        });
        g.setColor(colour);
        g.setStroke(stroke(s));
        Path2D line = new Path2D.Double();
        boolean drawing = false;
        double[] v = s.values();
        for (int t = 0; t < v.length; t++) {
            if (!drawable(v[t])) {
                drawing = false;
                continue;
            }
            double x = a.px(t + 1);
            double y = a.py(v[t]);
            if (drawing) line.lineTo(x, y);
            else line.moveTo(x, y);
            drawing = true;
            if (v.length <= 30) g.fillOval((int) Math.round(x) - 2, (int) Math.round(y) - 2, 5, 5);
        }
        g.draw(line);
    }

    private void drawLegend(Graphics2D g) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x = width - RIGHT + 14;
        int y = TOP + 8;
        for (int s = 0; s < series.size(); s++) {
            Series ser = series.get(s);
            Color c = colour(s);
            if (ser.band().isPresent()) {
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 60));
                g.fillRect(x, y - 5, 24, 10);
            }
            g.setColor(c);
            g.setStroke(stroke(ser));
            g.drawLine(x, y, x + 24, y);
            g.setColor(Color.BLACK);
            g.drawString(ser.name(), x + 30, y + 4);
            y += 18;
        }
    }

    private static BasicStroke stroke(Series s) {
        return s.dashed() ? new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] {6, 4}, 0)
                : new BasicStroke(1.8f);
    }

    private static boolean drawable(double v) {
        return Double.isFinite(v) && v > 0;
    }
}
