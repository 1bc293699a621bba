package org.lepistream.vision.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * Validated labels of one batch and the per-sample bookkeeping every taxonomy loss shares: which ranks are known,
 * the log-probability at the labelled node, and the weighted mean over the samples that count.
 */
final class LabelBatch {
    private final NDArray labels;
    private final NDArray weights;
    private final long n;

    private LabelBatch(NDArray labels, NDArray weights, long n) {
        this.labels = labels;
        this.weights = weights;
        this.n = n;
    }

    /** Checks shapes and label ranges against the taxonomy, with a message that names the offending entry. */
    static LabelBatch of(Taxonomy taxonomy, NDArray leafLogits, NDArray labels, NDArray weights) {
        if (leafLogits == null || labels == null) {
            throw new IllegalArgumentException("leaf logits and labels are required");
        }
        Shape ls = leafLogits.getShape();
        if (ls.dimension() != 2 || ls.get(1) != taxonomy.leafCount()) {
            throw new IllegalArgumentException("leaf logits must be (N," + taxonomy.leafCount() + "), got " + ls);
        }
        long n = ls.get(0);
        int depth = taxonomy.depth();
        if (!labels.getShape().equals(new Shape(n, depth))) {
            throw new IllegalArgumentException(
                    "labels must be (" + n + "," + depth + ") " + taxonomy.ranks() + ", got " + labels.getShape());
        }
        if (labels.getDataType().isFloating()) {
            throw new IllegalArgumentException("labels must be integer node indices, got " + labels.getDataType());
        }
        NDArray ints = labels.toType(DataType.INT64, false);
        long[] values = ints.toLongArray();
        for (int i = 0; i < values.length; i++) {
            int rank = i % depth;
            if (values[i] < -1 || values[i] >= taxonomy.size(rank)) {
                throw new IllegalArgumentException("label " + values[i] + " of sample " + i / depth + " at rank "
                        + taxonomy.ranks().get(rank) + " is outside −1.." + (taxonomy.size(rank) - 1));
            }
        }
        if (weights != null) {
            if (!weights.getShape().equals(new Shape(n))) {
                throw new IllegalArgumentException("weights must be (" + n + "), got " + weights.getShape());
            }
            for (float w : weights.toType(DataType.FLOAT32, false).toFloatArray()) {
                if (!(w >= 0) || Float.isInfinite(w)) {
                    throw new IllegalArgumentException("sample weights must be finite and ≥ 0, got " + w);
                }
            }
        }
        return new LabelBatch(ints, weights == null ? null : weights.toType(leafLogits.getDataType(), false), n);
    }

    /** 1 where the rank's label is known, 0 where it is −1; shape (N), floating. */
    NDArray known(int rank, DataType type) {
        return column(rank).gte(0).toType(type, false);
    }

    /** Each sample's value (probability or log-probability) at its labelled node of a rank, (N); node 0 stands in where unknown. */
    NDArray atLabel(NDArray perNode, int rank) {
        NDArray index = column(rank).maximum(0).reshape(n, 1);
        return perNode.gather(index, 1).reshape(n);
    }

    private NDArray column(int rank) {
        return labels.get(new NDIndex(":, {}", rank));
    }

    /** Σ w·c·ℓ / Σ w·c over samples, c = 1 for samples that count; 0 (still differentiable) when none counts. */
    NDArray weightedMean(NDArray perSample, NDArray counted) {
        NDArray w = weights == null ? counted : counted.mul(weights);
        NDArray total = w.sum();
        // Dividing by a floor instead of the total keeps "nothing counts" at exactly 0 rather than NaN.
        return perSample.mul(w).sum().div(total.maximum(1e-12f));
    }
}
