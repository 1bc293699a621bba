package org.lepistream.streams.routing;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Pictures for an expert: the classifier's attention drawn over the photo, and the segmenter's mask, as PNG. */
public final class ReviewImages {

    private ReviewImages() {}

    /**
     * The photo scaled to fit {@code maxSide}, with the attention map (bilinearly upsampled, min–max normalised)
     * blended over it in a blue→red colour ramp; red is where the classifier looked.
     */
    public static byte[] attentionOverlayPng(BufferedImage photo, float[] attention, int h, int w, int maxSide) {
        BufferedImage base = fit(photo, maxSide);
        int bw = base.getWidth();
        int bh = base.getHeight();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float a : attention) {
            min = Math.min(min, a);
            max = Math.max(max, a);
        }
        float range = max - min > 1e-6f ? max - min : 1f;
        BufferedImage out = new BufferedImage(bw, bh, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < bh; y++) {
            double fy = Math.max(0, Math.min(h - 1, (y + 0.5) * h / bh - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(h - 1, y0 + 1);
            double ty = fy - y0;
            for (int x = 0; x < bw; x++) {
                double fx = Math.max(0, Math.min(w - 1, (x + 0.5) * w / bw - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(w - 1, x0 + 1);
                double tx = fx - x0;
                double v = (1 - ty) * ((1 - tx) * attention[y0 * w + x0] + tx * attention[y0 * w + x1])
                        + ty * ((1 - tx) * attention[y1 * w + x0] + tx * attention[y1 * w + x1]);
                double t = (v - min) / range;
                int heat = ramp(t);
                int rgb = base.getRGB(x, y);
                out.setRGB(x, y, blend(rgb, heat, 0.45));
            }
        }
        return png(out);
    }

    /** The mask as an 8-bit grey PNG (white = butterfly). */
    public static byte[] maskPng(float[] mask, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int g = Math.round(Math.max(0f, Math.min(1f, mask[y * size + x])) * 255f);
                img.getRaster().setSample(x, y, 0, g);
            }
        }
        return png(img);
    }

    static BufferedImage fit(BufferedImage photo, int maxSide) {
        double scale = Math.min(1.0, (double) maxSide / Math.max(photo.getWidth(), photo.getHeight()));
        int w = Math.max(1, (int) Math.round(photo.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(photo.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(photo, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Blue (0) → cyan → yellow → red (1). */
    static int ramp(double t) {
        t = Math.max(0, Math.min(1, t));
        double r = Math.max(0, Math.min(1, 1.5 - Math.abs(4 * t - 3)));
        double g = Math.max(0, Math.min(1, 1.5 - Math.abs(4 * t - 2)));
        double b = Math.max(0, Math.min(1, 1.5 - Math.abs(4 * t - 1)));
        return ((int) (r * 255) << 16) | ((int) (g * 255) << 8) | (int) (b * 255);
    }

    private static int blend(int a, int b, double alpha) {
        int r = (int) (((a >> 16) & 0xFF) * (1 - alpha) + ((b >> 16) & 0xFF) * alpha);
        int g = (int) (((a >> 8) & 0xFF) * (1 - alpha) + ((b >> 8) & 0xFF) * alpha);
        int bl = (int) ((a & 0xFF) * (1 - alpha) + (b & 0xFF) * alpha);
        return (r << 16) | (g << 8) | bl;
    }

    private static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
