package org.lepistream.vision.loss;

import ai.djl.ndarray.NDArray;

/**
 * Plain species cross-entropy −log p(species), the baseline the hierarchical losses are compared with; samples
 * whose species is unknown (−1) are skipped.
 */
public final class FlatCrossEntropy implements TaxonomyLoss {
    private final Hierarchy hierarchy;
    private final double smoothing;

    /** Species cross-entropy without label smoothing. */
    public FlatCrossEntropy(Hierarchy hierarchy) {
        this(hierarchy, 0);
    }

    /** Species cross-entropy with label smoothing ε in [0,1). */
    public FlatCrossEntropy(Hierarchy hierarchy, double smoothing) {
        if (hierarchy == null) {
            throw new IllegalArgumentException("hierarchy is required");
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0,1), got " + smoothing);
        }
        this.hierarchy = hierarchy;
        this.smoothing = smoothing;
    }

    @Override
    public NDArray compute(NDArray leafLogits, NDArray labels, NDArray weights) {
        LabelBatch batch = LabelBatch.of(hierarchy.taxonomy(), leafLogits, labels, weights);
        int leaf = hierarchy.depth() - 1;
        NDArray nll = HierarchicalCrossEntropy.smoothedNll(leafLogits.logSoftmax(1), batch, leaf, smoothing);
        NDArray known = batch.known(leaf, leafLogits.getDataType());
        return batch.weightedMean(nll.mul(known), known);
    }
}
