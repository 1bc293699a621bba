package org.lepistream.loadtest.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import javax.imageio.ImageIO;

/**
 * A small line chart drawn with Java2D (no plotting library): axes with "nice" ticks, one polyline with markers per
 * series, a legend. x tick labels can be renamed (e.g. percentile positions on a log-of-nines axis).
 */
public final class LineChart {

    /** One named line. */
    public record Series(String name, Color colour, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y");
            }
        }
    }

    static final int WIDTH = 900;
    static final int HEIGHT = 500;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Double> markerX = new ArrayList<>();
    private final List<String> markerLabel = new ArrayList<>();
    private double[] xTicks;
    private DoubleFunction<String> xTickLabel = LineChart::number;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart add(Series s) {
        series.add(s);
        return this;
    }

    /** A labelled vertical line at {@code x} (an event such as a killed instance). */
    public LineChart marker(double x, String label) {
        markerX.add(x);
        markerLabel.add(label);
        return this;
    }

    /** Fixed x ticks with their own labels (default: nice ticks, numeric labels). */
    public LineChart xTicks(double[] ticks, DoubleFunction<String> label) {
        this.xTicks = ticks.clone();
        this.xTickLabel = label;
        return this;
    }

    /** Draws the chart into an image. */
    public BufferedImage render() {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    xMin = Math.min(xMin, s.x()[i]);
                    xMax = Math.max(xMax, s.x()[i]);
                    yMax = Math.max(yMax, s.y()[i]);
                }
            }
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
        }
        if (xTicks != null) {
            for (double t : xTicks) {
                xMin = Math.min(xMin, t);
                xMax = Math.max(xMax, t);
            }
        }
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        double yStep = niceStep(yMax <= 0 ? 1 : yMax, 6);
        double yTop = Math.max(yStep, Math.ceil(yMax / yStep) * yStep);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        final double x0 = xMin;
        final double xSpan = xMax - xMin;
        DoubleToInt px = v -> LEFT + (int) Math.round((v - x0) / xSpan * plotW);
        DoubleToInt py = v -> TOP + plotH - (int) Math.round(v / yTop * plotH);

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        // grid and y ticks
        for (double v = 0; v <= yTop + yStep / 2; v += yStep) {
            int y = py.apply(v);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String label = number(v);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + 4);
        }
        double[] ticks = xTicks != null ? xTicks : niceTicks(xMin, xMax, 10);
        for (double t : ticks) {
            int x = px.apply(t);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = xTickLabel.apply(t);
            g.drawString(label, x - fm.stringWidth(label) / 2, TOP + plotH + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString(xLabel, LEFT + plotW / 2 - fm.stringWidth(xLabel) / 2, HEIGHT - 15);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + plotH / 2 + fm.stringWidth(yLabel) / 2), 18);
        rotated.dispose();

        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        for (int i = 0; i < markerX.size(); i++) {
            int x = px.apply(markerX.get(i));
            g.setColor(new Color(200, 40, 40));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.drawString(markerLabel.get(i), x + 4, TOP + 14 + 14 * i);
        }
        int legendY = TOP + 18;
        for (Series s : series) {
            g.setColor(s.colour());
            g.setStroke(new BasicStroke(2f));
            Path2D.Double line = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
                    continue;
                }
                int x = px.apply(s.x()[i]);
                int y = py.apply(s.y()[i]);
                if (started) {
                    line.lineTo(x, y);
                } else {
                    line.moveTo(x, y);
                    started = true;
                }
                if (s.x().length <= 40) {
                    g.fillOval(x - 3, y - 3, 7, 7);
                }
            }
            g.draw(line);
            g.fillRect(LEFT + plotW - 190, legendY - 9, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), LEFT + plotW - 170, legendY);
            legendY += 18;
        }
        g.dispose();
        return img;
    }

    /** Renders and writes a PNG. */
    public void writePng(Path file) throws IOException {
        if (!ImageIO.write(render(), "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    /** The 1-2-5 step that divides {@code span} into at most about {@code count} intervals. */
    static double niceStep(double span, int count) {
        double raw = span / count;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / magnitude;
        double nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    static double[] niceTicks(double min, double max, int count) {
        double step = niceStep(max - min, count);
        List<Double> ticks = new ArrayList<>();
        for (double t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
            ticks.add(t);
        }
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static String number(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.format(Locale.ROOT, "%d", (long) Math.rint(v));
        }
        return String.format(Locale.ROOT, Math.abs(v) < 1 ? "%.3g" : "%.1f", v);
    }

    @FunctionalInterface
    private interface DoubleToInt {
        int apply(double v);
    }
}
