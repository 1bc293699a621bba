package org.lepistream.vision.synthetic;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.QuadCurve2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.util.Random;

/**
 * Out-of-focus vegetation behind the butterfly: a gradient ground, leaves, grass blades, stones and
 * flowers in vivid colours (deliberately overlapping butterfly hues, so colour alone is not a shortcut),
 * blurred, with sensor noise. Nothing here depends on the species, so background is not a label cue.
 */
final class Clutter {
    private Clutter() {
    }

    static BufferedImage paint(int size, Random random) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, natural(random), size * random.nextFloat(), size, natural(random)));
        g.fillRect(0, 0, size, size);
        int elements = 25 + random.nextInt(35);
        for (int i = 0; i < elements; i++) {
            double roll = random.nextDouble();
            if (roll < 0.45) {
                leaf(g, size, random);
            } else if (roll < 0.75) {
                blade(g, size, random);
            } else if (roll < 0.87) {
                stone(g, size, random);
            } else {
                flower(g, size, random);
            }
        }
        g.dispose();
        BufferedImage blurred = blur(img, 1 + random.nextInt(2));
        addNoise(blurred, random, 5);
        return blurred;
    }

    private static Color natural(Random r) {
        float hue = r.nextDouble() < 0.7 ? 0.18f + 0.2f * r.nextFloat() : 0.05f + 0.08f * r.nextFloat();
        return Color.getHSBColor(hue, 0.3f + 0.5f * r.nextFloat(), 0.25f + 0.55f * r.nextFloat());
    }

    private static Color withAlpha(Color c, float alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), Math.round(alpha * 255));
    }

    private static void leaf(Graphics2D g, int size, Random r) {
        double w = size * (0.06 + 0.22 * r.nextDouble());
        double h = w * (0.25 + 0.35 * r.nextDouble());
        AffineTransform saved = g.getTransform();
        g.translate(size * r.nextDouble(), size * r.nextDouble());
        g.rotate(2 * Math.PI * r.nextDouble());
        Color c = natural(r);
        g.setColor(withAlpha(c, 0.6f + 0.4f * r.nextFloat()));
        g.fill(new Ellipse2D.Double(-w / 2, -h / 2, w, h));
        if (r.nextBoolean()) {
            g.setColor(c.darker());
            g.setStroke(new BasicStroke(Math.max(1f, size / 160f)));
            g.drawLine((int) (-w / 2), 0, (int) (w / 2), 0);
        }
        g.setTransform(saved);
    }

    private static void blade(Graphics2D g, int size, Random r) {
        double x = size * r.nextDouble();
        double y = size * (0.3 + 0.8 * r.nextDouble());
        double len = size * (0.2 + 0.5 * r.nextDouble());
        double lean = (r.nextDouble() - 0.5) * len * 0.8;
        g.setColor(withAlpha(natural(r).brighter(), 0.7f + 0.3f * r.nextFloat()));
        g.setStroke(new BasicStroke((float) (size / 128.0 * (1 + 2.5 * r.nextDouble())), BasicStroke.CAP_ROUND,
                BasicStroke.JOIN_ROUND));
        g.draw(new QuadCurve2D.Double(x, y, x + lean * 0.3, y - len / 2, x + lean, y - len));
    }

    private static void stone(Graphics2D g, int size, Random r) {
        double w = size * (0.05 + 0.15 * r.nextDouble());
        int grey = 70 + r.nextInt(110);
        g.setColor(new Color(grey, grey - 5 + r.nextInt(10), grey - 15 + r.nextInt(10)));
        g.fill(new Ellipse2D.Double(size * r.nextDouble() - w / 2, size * r.nextDouble() - w / 3, w, w * 0.6));
    }

    private static void flower(Graphics2D g, int size, Random r) {
        double cx = size * r.nextDouble();
        double cy = size * r.nextDouble();
        double petal = size * (0.025 + 0.05 * r.nextDouble());
        int petals = 5 + r.nextInt(4);
        Color c = Color.getHSBColor(r.nextFloat(), 0.5f + 0.5f * r.nextFloat(), 0.7f + 0.3f * r.nextFloat());
        g.setColor(c);
        for (int i = 0; i < petals; i++) {
            double a = 2 * Math.PI * i / petals;
            g.fill(new Ellipse2D.Double(cx + Math.cos(a) * petal - petal * 0.6, cy + Math.sin(a) * petal - petal * 0.6,
                    petal * 1.2, petal * 1.2));
        }
        g.setColor(r.nextBoolean() ? new Color(240, 200, 40) : new Color(90, 60, 30));
        g.fill(new Ellipse2D.Double(cx - petal * 0.5, cy - petal * 0.5, petal, petal));
    }

    private static BufferedImage blur(BufferedImage img, int passes) {
        float[] box = new float[9];
        java.util.Arrays.fill(box, 1f / 9);
        ConvolveOp op = new ConvolveOp(new Kernel(3, 3, box), ConvolveOp.EDGE_NO_OP, null);
        BufferedImage cur = img;
        for (int i = 0; i < passes; i++) {
            cur = op.filter(cur, null);
        }
        return cur;
    }

    /** Adds Gaussian noise (sigma in grey levels) to every pixel for which {@code where} is null or true. */
    static void addNoise(BufferedImage img, Random random, double sigma) {
        addNoise(img, random, sigma, null);
    }

    static void addNoise(BufferedImage img, Random random, double sigma, boolean[] where) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < px.length; i++) {
            if (where != null && !where[i]) {
                continue;
            }
            int rgb = 0;
            for (int shift = 16; shift >= 0; shift -= 8) {
                int v = (int) Math.round(((px[i] >> shift) & 0xFF) + sigma * random.nextGaussian());
                rgb |= Math.max(0, Math.min(255, v)) << shift;
            }
            px[i] = rgb;
        }
        img.setRGB(0, 0, w, h, px, 0, w);
    }
}
