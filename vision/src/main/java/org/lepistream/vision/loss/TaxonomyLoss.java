package org.lepistream.vision.loss;

import ai.djl.ndarray.NDArray;

/** A classification loss over a taxonomy, computed from leaf logits and per-rank labels. */
public interface TaxonomyLoss {

    /**
     * The scalar batch loss.
     *
     * @param leafLogits (N, leafCount) raw scores
     * @param labels (N, depth) integer node index per rank, top→leaf; −1 where the rank is unknown
     * @param weights (N) non-negative per-sample weights, or null for equal weights; the loss is the weighted mean
     *     over the samples that have at least one label the loss uses
     */
    NDArray compute(NDArray leafLogits, NDArray labels, NDArray weights);

    /** The scalar batch loss with equal sample weights. */
    default NDArray compute(NDArray leafLogits, NDArray labels) {
        return compute(leafLogits, labels, null);
    }
}
