package org.lepistream.vision.evaluation;

import java.awt.image.BufferedImage;

/**
 * Segmentation quality: intersection over union of the segmenter's mask and the hand mask. (Attention-in-mask uses
 * {@link org.lepistream.decision.analysis.AttentionMap#fractionInside} so evaluation, the guided loss and the service's
 * routing share one definition.)
 */
public final class MaskOverlap {
    private MaskOverlap() {
    }

    /**
     * Intersection over union of two masks of the same size, each thresholded at 0.5. Two empty masks agree
     * perfectly (1.0).
     */
    public static double iou(float[] predicted, float[] truth) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException(
                    "mask sizes differ: " + predicted.length + " predicted pixels, " + truth.length + " true");
        }
        long inter = 0;
        long union = 0;
        for (int i = 0; i < predicted.length; i++) {
            boolean p = predicted[i] > 0.5f;
            boolean t = truth[i] > 0.5f;
            if (p && t) {
                inter++;
            }
            if (p || t) {
                union++;
            }
        }
        return union == 0 ? 1.0 : (double) inter / union;
    }

    /**
     * IoU at the hand mask's own resolution: the predicted {@code size × size} probabilities (of the photo squashed to
     * a square, as the model sees it) are sampled bilinearly at every hand-mask pixel and thresholded at 0.5 — the
     * way a low-resolution mask head's output is pasted back onto a photo. The hand mask counts white (luminance ≥
     * 128) as butterfly.
     */
    public static double iouAtPhotoSize(float[] predicted, int size, BufferedImage handMask) {
        if (predicted.length != size * size) {
            throw new IllegalArgumentException("mask has " + predicted.length + " values, expected " + size + "×" + size);
        }
        int w = handMask.getWidth();
        int h = handMask.getHeight();
        int[] row = new int[w];
        long inter = 0;
        long union = 0;
        for (int y = 0; y < h; y++) {
            handMask.getRGB(0, y, w, 1, row, 0, w);
            // Pixel centres mapped onto the square grid's cell centres.
            double sy = Math.min(size - 1, Math.max(0, (y + 0.5) * size / h - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(size - 1, y0 + 1);
            double fy = sy - y0;
            for (int x = 0; x < w; x++) {
                double sx = Math.min(size - 1, Math.max(0, (x + 0.5) * size / w - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(size - 1, x0 + 1);
                double fx = sx - x0;
                double top = predicted[y0 * size + x0] * (1 - fx) + predicted[y0 * size + x1] * fx;
                double bottom = predicted[y1 * size + x0] * (1 - fx) + predicted[y1 * size + x1] * fx;
                boolean p = top * (1 - fy) + bottom * fy > 0.5;
                int rgb = row[x];
                int lum = (299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff)) / 1000;
                boolean t = lum >= 128;
                if (p && t) {
                    inter++;
                }
                if (p || t) {
                    union++;
                }
            }
        }
        return union == 0 ? 1.0 : (double) inter / union;
    }
}
