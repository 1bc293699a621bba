package org.lepistream.vision.evaluation;

/**
 * Segmentation quality: intersection over union of the segmenter's mask and the hand mask. (Attention-in-mask uses
 * {@link org.lepistream.vision.attention.AttentionMap#fractionInside} so evaluation, the guided loss and the service's
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
}
