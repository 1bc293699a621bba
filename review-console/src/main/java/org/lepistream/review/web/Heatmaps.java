package org.lepistream.review.web;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.lepistream.schemas.Heatmap;

/**
 * Draws the service's attention and mask grids as pictures the page lays over the photo (its CSS stretches each
 * over the photo's box, so they fit a photo the expert's browser loads by URI as well as an inline one).
 */
final class Heatmaps {

    /** Drawn side of the attention layer: smooth enough to read once the browser scales it to the photo. */
    private static final int ATTENTION_SIDE = 256;
    private static final int MAX_CELLS = 4096 * 4096;

    private Heatmaps() {}

    /** The attention as a blue→red colour ramp (red: where the classifier looked), half transparent, as PNG. */
    static Photos.Picture attention(Heatmap grid) {
        String problem = problem(grid, "attention map");
        if (problem != null) {
            return new Photos.Picture(null, null, problem);
        }
        int h = grid.getHeight();
        int w = grid.getWidth();
        byte[] v = bytes(grid);
        double scale = (double) ATTENTION_SIDE / Math.max(h, w);
        int oh = Math.max(1, (int) Math.round(h * scale));
        int ow = Math.max(1, (int) Math.round(w * scale));
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < oh; y++) {
            double fy = Math.max(0, Math.min(h - 1, (y + 0.5) * h / oh - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(h - 1, y0 + 1);
            double ty = fy - y0;
            for (int x = 0; x < ow; x++) {
                double fx = Math.max(0, Math.min(w - 1, (x + 0.5) * w / ow - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(w - 1, x0 + 1);
                double tx = fx - x0;
                double level = ((1 - ty) * ((1 - tx) * at(v, y0 * w + x0) + tx * at(v, y0 * w + x1))
                        + ty * ((1 - tx) * at(v, y1 * w + x0) + tx * at(v, y1 * w + x1))) / 255.0;
                out.setRGB(x, y, 0x8C000000 | ramp(level));
            }
        }
        return new Photos.Picture(png(out), "image/png", null);
    }

    /** The mask as an 8-bit grey PNG at the segmenter's resolution (white: butterfly). */
    static Photos.Picture mask(Heatmap grid) {
        String problem = problem(grid, "mask");
        if (problem != null) {
            return new Photos.Picture(null, null, problem);
        }
        BufferedImage img = new BufferedImage(grid.getWidth(), grid.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] v = bytes(grid);
        for (int y = 0; y < grid.getHeight(); y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                img.getRaster().setSample(x, y, 0, at(v, y * grid.getWidth() + x));
            }
        }
        return new Photos.Picture(png(img), "image/png", null);
    }

    /** Blue (0) → cyan → yellow → red (1). */
    static int ramp(double t) {
        t = Math.max(0, Math.min(1, t));
        double r = Math.max(0, Math.min(1, 1.5 - Math.abs(4 * t - 3)));
        double g = Math.max(0, Math.min(1, 1.5 - Math.abs(4 * t - 2)));
        double b = Math.max(0, Math.min(1, 1.5 - Math.abs(4 * t - 1)));
        return ((int) (r * 255) << 16) | ((int) (g * 255) << 8) | (int) (b * 255);
    }

    private static String problem(Heatmap grid, String what) {
        if (grid == null) {
            return "no " + what + " in the review request";
        }
        long cells = (long) grid.getHeight() * grid.getWidth();
        if (grid.getHeight() <= 0 || grid.getWidth() <= 0 || cells > MAX_CELLS) {
            return "the " + what + " has an impossible size " + grid.getHeight() + "x" + grid.getWidth();
        }
        if (grid.getValues() == null || grid.getValues().remaining() != cells) {
            return "the " + what + " has " + (grid.getValues() == null ? 0 : grid.getValues().remaining())
                    + " values for " + grid.getHeight() + "x" + grid.getWidth() + " cells";
        }
        return null;
    }

    private static byte[] bytes(Heatmap grid) {
        ByteBuffer b = grid.getValues().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static int at(byte[] v, int i) {
        return v[i] & 0xFF;
    }

    private static byte[] png(BufferedImage img) {
        try {
            return Photos.png(img);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
