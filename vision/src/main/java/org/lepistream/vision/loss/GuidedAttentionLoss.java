package org.lepistream.vision.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * Guided-attention loss: the share of each spatial attention map's mass that falls off the butterfly,
 * L(M,S) = Σ M·(1−S) / Σ M per image, with the mask S max-pooled to the map's size (a cell is butterfly if any
 * pixel under it is); averaged over the attention levels, then over the batch (weighted).
 *
 * <p>The mask is treated as data: no gradient flows into it, so a segmenter that produced it is not trained by
 * this loss. 1 − L is the "attention in mask" measure ({@link org.lepistream.decision.analysis.AttentionMap}).
 */
public final class GuidedAttentionLoss {
    /** Keeps an all-zero map (impossible from a sigmoid, possible by hand) at loss 0 instead of NaN. */
    private static final float MASS_FLOOR = 1e-12f;

    /**
     * @param attentionMaps one (N,1,h,w) map per level, as returned after the logits by the classifier
     * @param masks (N,1,H,W) or (N,H,W) values in [0,1]; H and W multiples of every level's h and w
     * @param weights (N) non-negative sample weights (0 for images without a mask), or null for equal weights
     * @return the scalar loss
     */
    public NDArray compute(NDList attentionMaps, NDArray masks, NDArray weights) {
        if (attentionMaps == null || attentionMaps.isEmpty()) {
            throw new IllegalArgumentException(
                    "guided attention needs at least one attention map (a classifier built with cbam=true)");
        }
        if (masks == null) {
            throw new IllegalArgumentException("guided attention needs the butterfly masks");
        }
        NDArray s = masks.getShape().dimension() == 3 ? masks.expandDims(1) : masks;
        Shape ms = s.getShape();
        if (ms.dimension() != 4 || ms.get(1) != 1) {
            throw new IllegalArgumentException("masks must be (N,1,H,W) or (N,H,W), got " + masks.getShape());
        }
        long n = ms.get(0);
        s = s.toType(DataType.FLOAT32, false).stopGradient();
        NDArray total = null;
        for (int level = 0; level < attentionMaps.size(); level++) {
            NDArray m = attentionMaps.get(level);
            Shape as = m.getShape();
            if (as.dimension() != 4 || as.get(0) != n || as.get(1) != 1) {
                throw new IllegalArgumentException(
                        "attention map " + level + " must be (" + n + ",1,h,w), got " + as);
            }
            long h = as.get(2);
            long w = as.get(3);
            if (ms.get(2) % h != 0 || ms.get(3) % w != 0) {
                throw new IllegalArgumentException("mask " + ms.get(2) + "×" + ms.get(3)
                        + " is not a whole multiple of attention map " + level + " (" + h + "×" + w + ")");
            }
            Shape kernel = new Shape(ms.get(2) / h, ms.get(3) / w);
            NDArray pooled = Pool.maxPool2d(s, kernel, kernel, new Shape(0, 0), false);
            NDArray flatM = m.reshape(n, -1);
            NDArray outside = flatM.mul(pooled.reshape(n, -1).neg().add(1)).sum(new int[] {1});
            NDArray perImage = outside.div(flatM.sum(new int[] {1}).maximum(MASS_FLOOR));
            total = total == null ? perImage : total.add(perImage);
        }
        NDArray perSample = total.div(attentionMaps.size());
        if (weights == null) {
            return perSample.mean();
        }
        if (!weights.getShape().equals(new Shape(n))) {
            throw new IllegalArgumentException("weights must be (" + n + "), got " + weights.getShape());
        }
        NDArray w = weights.toType(perSample.getDataType(), false);
        return perSample.mul(w).sum().div(w.sum().maximum(1e-12f));
    }

    /** The loss with equal sample weights. */
    public NDArray compute(NDList attentionMaps, NDArray masks) {
        return compute(attentionMaps, masks, null);
    }
}
