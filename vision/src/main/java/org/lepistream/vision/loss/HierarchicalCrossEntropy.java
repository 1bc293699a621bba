package org.lepistream.vision.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Arrays;

/**
 * Weighted hierarchical cross-entropy WCE = −Σ_k λ_k log p(c_k): one cross-entropy per rank, on the rank
 * probabilities derived from the leaves by {@link Hierarchy}, weighted by λ_k. A rank whose label is −1 is left out
 * of a sample's sum, so photos labelled only to genus still train the genus and family.
 *
 * <p>With label smoothing ε each rank's term is −(1−ε)·log p(c_k) − ε·mean_j log p(j).
 */
public final class HierarchicalCrossEntropy implements TaxonomyLoss {
    private final Hierarchy hierarchy;
    private final double[] lambdas;
    private final double smoothing;

    /** WCE with the given per-rank weights (top→leaf) and no label smoothing. */
    public HierarchicalCrossEntropy(Hierarchy hierarchy, double... lambdas) {
        this(hierarchy, lambdas, 0);
    }

    /** WCE with per-rank weights (top→leaf) and label smoothing ε in [0,1). */
    public HierarchicalCrossEntropy(Hierarchy hierarchy, double[] lambdas, double smoothing) {
        if (hierarchy == null) {
            throw new IllegalArgumentException("hierarchy is required");
        }
        if (lambdas == null || lambdas.length != hierarchy.depth()) {
            throw new IllegalArgumentException("WCE needs one λ per rank " + hierarchy.taxonomy().ranks() + ", got "
                    + Arrays.toString(lambdas));
        }
        for (double l : lambdas) {
            if (!(l >= 0) || Double.isInfinite(l)) {
                throw new IllegalArgumentException("λ must be finite and ≥ 0, got " + Arrays.toString(lambdas));
            }
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0,1), got " + smoothing);
        }
        this.hierarchy = hierarchy;
        this.lambdas = lambdas.clone();
        this.smoothing = smoothing;
    }

    /** The per-rank weights, top→leaf. */
    public double[] lambdas() {
        return lambdas.clone();
    }

    @Override
    public NDArray compute(NDArray leafLogits, NDArray labels, NDArray weights) {
        LabelBatch batch = LabelBatch.of(hierarchy.taxonomy(), leafLogits, labels, weights);
        NDList logP = hierarchy.rankLogProbabilities(leafLogits);
        NDArray perSample = null;
        NDArray anyKnown = null;
        for (int r = 0; r < hierarchy.depth(); r++) {
            NDArray known = batch.known(r, leafLogits.getDataType());
            NDArray nll = smoothedNll(logP.get(r), batch, r, smoothing);
            NDArray term = nll.mul(known).mul((float) lambdas[r]);
            perSample = perSample == null ? term : perSample.add(term);
            anyKnown = anyKnown == null ? known : anyKnown.maximum(known);
        }
        return batch.weightedMean(perSample, anyKnown);
    }

    /** −(1−ε)·log p(label) − ε·mean_j log p(j), per sample (N). */
    static NDArray smoothedNll(NDArray logP, LabelBatch batch, int rank, double smoothing) {
        NDArray nll = batch.atLabel(logP, rank).neg();
        if (smoothing == 0) {
            return nll;
        }
        NDArray uniform = logP.mean(new int[] {1}).neg();
        return nll.mul((float) (1 - smoothing)).add(uniform.mul((float) smoothing));
    }
}
