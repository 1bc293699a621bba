package org.lepistream.vision.loss;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.ImageIO;

/**
 * Renders the asymptotic parent term for docs: its surface A(g,f) as a heat map with contours, and the slopes
 * |∂A/∂g|, |∂A/∂f| next to plain cross-entropy's |d(−ln p)/dp| = 1/p. Usage: {@code AsymptoticLossPlot out.png}.
 */
public final class AsymptoticLossPlot {
    static final int WIDTH = 1000;
    static final int HEIGHT = 460;
    /** Heat-map square: left, top, side in pixels. */
    static final int MAP_X = 70;
    static final int MAP_Y = 50;
    static final int MAP_SIDE = 360;

    private final double[] weights;
    private final double[] exponents;

    /** A plot of the default family→genus→species term (weights 0.5/0.5, exponents f: 2, g: 0.5). */
    public AsymptoticLossPlot() {
        this(new double[] {0.5, 0.5}, AsymptoticHierarchicalLoss.defaultExponents(2));
    }

    /** A plot for (family, genus) weights and exponents. */
    public AsymptoticLossPlot(double[] weights, double[] exponents) {
        this.weights = weights.clone();
        this.exponents = exponents.clone();
    }

    private double term(double g, double f) {
        return AsymptoticHierarchicalLoss.parentTerm(weights, exponents, new double[] {f, g});
    }

    /** Draws the figure. */
    public BufferedImage render() {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        drawSurface(g);
        drawSlopes(g, 560, MAP_Y, 380, MAP_SIDE);
        g.dispose();
        return img;
    }

    private void drawSurface(Graphics2D g) {
        for (int py = 0; py < MAP_SIDE; py++) {
            double f = 1 - (py + 0.5) / MAP_SIDE;
            for (int px = 0; px < MAP_SIDE; px++) {
                double gen = (px + 0.5) / MAP_SIDE;
                g.setColor(colour(term(gen, f)));
                g.fillRect(MAP_X + px, MAP_Y + py, 1, 1);
            }
        }
        // Contours every 0.1, found as sign changes between neighbouring pixels.
        g.setColor(new Color(255, 255, 255, 170));
        for (int py = 0; py < MAP_SIDE - 1; py++) {
            for (int px = 0; px < MAP_SIDE - 1; px++) {
                double here = level(px, py);
                if (here != level(px + 1, py) || here != level(px, py + 1)) {
                    g.fillRect(MAP_X + px, MAP_Y + py, 1, 1);
                }
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(MAP_X, MAP_Y, MAP_SIDE, MAP_SIDE);
        g.drawString("A(g,f) = 1 − (" + fmt(weights[1]) + "·g^" + fmt(exponents[1]) + " + " + fmt(weights[0])
                + "·f^" + fmt(exponents[0]) + ")", MAP_X, MAP_Y - 18);
        for (int i = 0; i <= 4; i++) {
            double t = i / 4.0;
            int x = MAP_X + (int) Math.round(t * MAP_SIDE);
            int y = MAP_Y + MAP_SIDE - (int) Math.round(t * MAP_SIDE);
            g.drawLine(x, MAP_Y + MAP_SIDE, x, MAP_Y + MAP_SIDE + 4);
            g.drawString(fmt(t), x - 10, MAP_Y + MAP_SIDE + 18);
            g.drawLine(MAP_X - 4, y, MAP_X, y);
            g.drawString(fmt(t), MAP_X - 34, y + 4);
        }
        g.drawString("genus probability g", MAP_X + MAP_SIDE / 2 - 55, MAP_Y + MAP_SIDE + 36);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("family probability f", -(MAP_Y + MAP_SIDE / 2 + 55), MAP_X - 42);
        rotated.dispose();
        // colour bar
        int barX = MAP_X + MAP_SIDE + 20;
        for (int py = 0; py < MAP_SIDE; py++) {
            g.setColor(colour(1 - (double) py / MAP_SIDE));
            g.fillRect(barX, MAP_Y + py, 14, 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(barX, MAP_Y, 14, MAP_SIDE);
        g.drawString("1", barX + 18, MAP_Y + 10);
        g.drawString("0", barX + 18, MAP_Y + MAP_SIDE);
    }

    private double level(int px, int py) {
        double f = 1 - (py + 0.5) / MAP_SIDE;
        double gen = (px + 0.5) / MAP_SIDE;
        return Math.floor(term(gen, f) * 10);
    }

    private void drawSlopes(Graphics2D g, int x0, int y0, int w, int h) {
        double yMax = 3;
        g.setColor(Color.BLACK);
        g.drawRect(x0, y0, w, h);
        g.drawString("slopes with respect to the probability", x0, y0 - 18);
        for (int i = 0; i <= 4; i++) {
            double t = i / 4.0;
            int x = x0 + (int) Math.round(t * w);
            g.drawString(fmt(t), x - 10, y0 + h + 18);
            int y = y0 + h - (int) Math.round(t * h);
            g.drawString(fmt(t * yMax), x0 - 30, y + 4);
        }
        g.drawString("probability of the true node", x0 + w / 2 - 80, y0 + h + 36);
        double wg = weights[1];
        double a = exponents[1];
        double wf = weights[0];
        double b = exponents[0];
        curve(g, x0, y0, w, h, yMax, p -> 1 / p, new Color(150, 150, 150), "cross-entropy: 1/p", 0);
        curve(g, x0, y0, w, h, yMax, p -> wg * a * Math.pow(p, a - 1), new Color(200, 60, 30),
                "|∂A/∂g| = " + fmt(wg * a) + "·g^" + fmt(a - 1), 1);
        curve(g, x0, y0, w, h, yMax, p -> wf * b * Math.pow(p, b - 1), new Color(30, 90, 200),
                "|∂A/∂f| = " + fmt(wf * b) + "·f^" + fmt(b - 1), 2);
    }

    private static void curve(Graphics2D g, int x0, int y0, int w, int h, double yMax, DoubleUnaryOperator fn,
            Color colour, String label, int row) {
        Path2D path = new Path2D.Double();
        boolean started = false;
        for (int px = 1; px <= w; px++) {
            double p = (double) px / w;
            double v = Math.min(yMax, fn.applyAsDouble(p));
            double y = y0 + h - v / yMax * h;
            if (started) {
                path.lineTo(x0 + px, y);
            } else {
                path.moveTo(x0 + px, y);
                started = true;
            }
        }
        g.setColor(colour);
        g.setStroke(new BasicStroke(2f));
        g.draw(path);
        g.setStroke(new BasicStroke(1f));
        g.drawString(label, x0 + w - 170, y0 + 20 + 18 * row);
        g.setColor(Color.BLACK);
    }

    /** A dark-blue → teal → yellow ramp (perceptually ordered, readable in grey). */
    static Color colour(double v) {
        double t = Math.max(0, Math.min(1, v));
        int r = (int) Math.round(255 * Math.max(0, Math.min(1, 1.6 * t * t - 0.2 * t)));
        int gr = (int) Math.round(255 * Math.max(0, Math.min(1, 0.1 + 0.85 * t)));
        int b = (int) Math.round(255 * Math.max(0, Math.min(1, 0.35 + 0.6 * t - 0.9 * t * t)));
        return new Color(r, gr, b);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** Writes the figure to the path given as the only argument (default docs/asymptotic-loss.png). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/asymptotic-loss.png");
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ImageIO.write(new AsymptoticLossPlot().render(), "png", out.toFile());
        System.out.println("wrote " + out.toAbsolutePath());
    }
}
