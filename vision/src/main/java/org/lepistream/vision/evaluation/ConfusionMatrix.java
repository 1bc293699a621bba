package org.lepistream.vision.evaluation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/** Counts of (true class, predicted class) pairs at one rank, and their rendering as a PNG heat map. */
public final class ConfusionMatrix {
    private final List<String> names;
    private final int[][] counts;

    /** An empty matrix over the given class names (index = class). */
    public ConfusionMatrix(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a confusion matrix needs at least one class");
        }
        this.names = List.copyOf(names);
        this.counts = new int[names.size()][names.size()];
    }

    /** Records one prediction; unknown true classes ({@code -1}) are ignored. */
    public void add(int trueClass, int predictedClass) {
        if (trueClass < 0) {
            return;
        }
        if (trueClass >= names.size() || predictedClass < 0 || predictedClass >= names.size()) {
            throw new IllegalArgumentException("class pair (" + trueClass + ", " + predictedClass + ") outside 0.."
                    + (names.size() - 1));
        }
        counts[trueClass][predictedClass]++;
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    /** Images of true class {@code t} predicted as {@code p}. */
    public int count(int t, int p) {
        return counts[t][p];
    }

    /** Images whose true class is {@code t}. */
    public int support(int t) {
        int n = 0;
        for (int c : counts[t]) {
            n += c;
        }
        return n;
    }

    /** Images predicted as {@code p}. */
    public int predicted(int p) {
        int n = 0;
        for (int[] row : counts) {
            n += row[p];
        }
        return n;
    }

    /** Recall of class {@code t} ({@code NaN} when it has no images). */
    public double recall(int t) {
        int s = support(t);
        return s == 0 ? Double.NaN : (double) counts[t][t] / s;
    }

    /** Precision of class {@code p} ({@code NaN} when it was never predicted). */
    public double precision(int p) {
        int s = predicted(p);
        return s == 0 ? Double.NaN : (double) counts[p][p] / s;
    }

    /** The wrong class that class {@code t} is most often predicted as, or {@code -1} when it never is. */
    public int mostConfusedWith(int t) {
        int best = -1;
        for (int p = 0; p < counts.length; p++) {
            if (p != t && counts[t][p] > 0 && (best < 0 || counts[t][p] > counts[t][best])) {
                best = p;
            }
        }
        return best;
    }

    /**
     * Draws the matrix with rows = true class, columns = prediction; cells are shaded by the row-normalised share so
     * that small classes stay readable, and show the raw count.
     */
    public BufferedImage render(String title) {
        int cell = Math.max(28, Math.min(56, 720 / names.size()));
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(labelFont);
        int labelWidth = 0;
        for (String n : names) {
            labelWidth = Math.max(labelWidth, fm.stringWidth(n));
        }
        int left = labelWidth + 40;
        int top = labelWidth + 60;
        int side = cell * names.size();
        int titleWidth = pg.getFontMetrics(new Font(Font.SANS_SERIF, Font.BOLD, 14)).stringWidth(title) + 20;
        int width = Math.max(left + side + 20, titleWidth);
        int height = top + side + 20;
        pg.dispose();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 20);
        g.setFont(labelFont);
        g.drawString("true \u2193  predicted \u2192", 10, 38);
        for (int t = 0; t < names.size(); t++) {
            int support = support(t);
            for (int p = 0; p < names.size(); p++) {
                double share = support == 0 ? 0 : (double) counts[t][p] / support;
                int x = left + p * cell;
                int y = top + t * cell;
                g.setColor(shade(share, t == p));
                g.fillRect(x, y, cell, cell);
                if (counts[t][p] > 0) {
                    g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                    String s = Integer.toString(counts[t][p]);
                    g.drawString(s, x + (cell - fm.stringWidth(s)) / 2, y + (cell + fm.getAscent()) / 2 - 2);
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(names.get(t), left - 8 - fm.stringWidth(names.get(t)),
                    top + t * cell + (cell + fm.getAscent()) / 2 - 2);
        }
        AffineTransform normal = g.getTransform();
        for (int p = 0; p < names.size(); p++) {
            g.setTransform(normal);
            g.translate(left + p * cell + (cell + fm.getAscent()) / 2 - 2, top - 8);
            g.rotate(-Math.PI / 2);
            g.drawString(names.get(p), 0, 0);
        }
        g.setTransform(normal);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, side, side);
        g.dispose();
        return img;
    }

    /** Renders and writes the PNG, creating parent folders. */
    public void writePng(Path file, String title) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (!ImageIO.write(render(title), "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    // Blue for correct (diagonal) cells, red for mistakes, so errors stand out at a glance.
    private static Color shade(double share, boolean diagonal) {
        float s = (float) Math.max(0, Math.min(1, share));
        if (s == 0) {
            return new Color(248, 248, 248);
        }
        return diagonal
                ? new Color(1f - 0.85f * s, 1f - 0.6f * s, 1f - 0.2f * s)
                : new Color(1f - 0.15f * s, 1f - 0.8f * s, 1f - 0.8f * s);
    }
}
