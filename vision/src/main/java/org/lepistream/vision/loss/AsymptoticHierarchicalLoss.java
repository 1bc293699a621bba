package org.lepistream.vision.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Species cross-entropy plus a bounded parent-rank term that keeps pushing the genus and family after the species
 * term has converged.
 *
 * <p>Plain CE on parent ranks fades as training converges (d(−log p)/dp = −1/p is small once p ≈ 1). The parent
 * term here, for parent ranks r = 0 (top) … P−1 (just above the leaf) with probabilities p_r of the true nodes, is
 *
 * <pre>  A(p) = 1 − Σ_r w_r · p_r^{e_r},   w_r ≥ 0, Σ w_r = 1, e_r &gt; 0</pre>
 *
 * For the family→genus→species taxonomy, A(g,f) = 1 − (w_g·g^a + w_f·f^b) with a = 0.5 &lt; 1 on the genus (its
 * slope a·g^(a−1) is steepest near g = 0, so a wrong genus is corrected hard) and b = 2 &gt; 1 on the family (slope
 * b·f^(b−1) is steepest near f = 1, so the family keeps being pushed to certainty). A lies in [0,1], is 0 at
 * g = f = 1 and 1 at g = f = 0. For deeper taxonomies the exponents go geometrically from b (top) to a (just above
 * the leaf). The loss per sample is −log p(species) + μ·A; ranks with label −1 are left out of A (its weights are
 * renormalised over the known ranks), and the species term is left out when the species is unknown.
 * docs/asymptotic-loss.md derives the gradient.
 */
public final class AsymptoticHierarchicalLoss implements TaxonomyLoss {
    /** Default exponent of the rank just above the leaf (genus): below 1, steep near 0. */
    public static final double DEFAULT_LOW_EXPONENT = 0.5;
    /** Default exponent of the top rank (family): above 1, steep near 1. */
    public static final double DEFAULT_HIGH_EXPONENT = 2.0;
    /** Probabilities are floored here before the power: p^a with a &lt; 1 has an infinite slope at p = 0. */
    static final float PROBABILITY_FLOOR = 1e-12f;

    private final Hierarchy hierarchy;
    private final double[] weights;
    private final double[] exponents;
    private final double parentScale;

    /** The default: equal parent weights, exponents 2 (top) … 0.5 (just above the leaf), μ = 1. */
    public AsymptoticHierarchicalLoss(Hierarchy hierarchy) {
        this(hierarchy, equalWeights(parentRanks(hierarchy)), defaultExponents(parentRanks(hierarchy)), 1.0);
    }

    /**
     * @param weights w_r per parent rank (top first), non-negative and summing to 1
     * @param exponents e_r per parent rank (top first), positive
     * @param parentScale μ, the weight of the parent term next to the species cross-entropy
     */
    public AsymptoticHierarchicalLoss(Hierarchy hierarchy, double[] weights, double[] exponents, double parentScale) {
        int p = parentRanks(hierarchy);
        if (weights == null || weights.length != p || exponents == null || exponents.length != p) {
            throw new IllegalArgumentException("asymptotic loss needs one weight and one exponent per parent rank "
                    + hierarchy.taxonomy().ranks().subList(0, p) + ", got " + Arrays.toString(weights) + " and "
                    + Arrays.toString(exponents));
        }
        double sum = 0;
        for (int r = 0; r < p; r++) {
            if (!(weights[r] >= 0) || !(exponents[r] > 0) || Double.isInfinite(exponents[r])) {
                throw new IllegalArgumentException("asymptotic loss weights must be ≥ 0 and exponents > 0, got "
                        + Arrays.toString(weights) + " and " + Arrays.toString(exponents));
            }
            sum += weights[r];
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException(
                    "asymptotic loss weights must sum to 1 (keeps the term in [0,1]), got " + Arrays.toString(weights));
        }
        if (!(parentScale >= 0) || Double.isInfinite(parentScale)) {
            throw new IllegalArgumentException("parent scale μ must be finite and ≥ 0, got " + parentScale);
        }
        this.hierarchy = hierarchy;
        this.weights = weights.clone();
        this.exponents = exponents.clone();
        this.parentScale = parentScale;
    }

    private static int parentRanks(Hierarchy hierarchy) {
        if (hierarchy == null) {
            throw new IllegalArgumentException("hierarchy is required");
        }
        return hierarchy.depth() - 1;
    }

    private static double[] equalWeights(int p) {
        double[] w = new double[p];
        Arrays.fill(w, 1.0 / p);
        return w;
    }

    /** Exponents from {@link #DEFAULT_HIGH_EXPONENT} (top) to {@link #DEFAULT_LOW_EXPONENT} (just above the leaf). */
    public static double[] defaultExponents(int parentRanks) {
        double[] e = new double[parentRanks];
        if (parentRanks == 1) {
            e[0] = DEFAULT_LOW_EXPONENT;
            return e;
        }
        for (int r = 0; r < parentRanks; r++) {
            double t = (double) r / (parentRanks - 1);
            e[r] = Math.pow(DEFAULT_HIGH_EXPONENT, 1 - t) * Math.pow(DEFAULT_LOW_EXPONENT, t);
        }
        return e;
    }

    /** w_r per parent rank, top first. */
    public double[] weights() {
        return weights.clone();
    }

    /** e_r per parent rank, top first. */
    public double[] exponents() {
        return exponents.clone();
    }

    /** A(p) for one sample's true-node probabilities per parent rank (top first), in plain Java (for plots). */
    public double parentTerm(double... probabilities) {
        return parentTerm(weights, exponents, probabilities);
    }

    /** A(p) = 1 − Σ w_r·p_r^{e_r} in plain Java, with the same probability floor as the NDArray version. */
    public static double parentTerm(double[] weights, double[] exponents, double[] probabilities) {
        if (probabilities.length != weights.length || exponents.length != weights.length) {
            throw new IllegalArgumentException("need " + weights.length + " parent probabilities and exponents, got "
                    + probabilities.length + " and " + exponents.length);
        }
        double reached = 0;
        for (int r = 0; r < weights.length; r++) {
            double p = Math.min(1, Math.max(PROBABILITY_FLOOR, probabilities[r]));
            reached += weights[r] * Math.pow(p, exponents[r]);
        }
        return 1 - reached;
    }

    /** A(p) per sample for true-node probabilities (N, P), parent ranks top first; differentiable, shape (N). */
    public NDArray parentTerm(NDArray probabilities) {
        Shape s = probabilities.getShape();
        if (s.dimension() != 2 || s.get(1) != weights.length) {
            throw new IllegalArgumentException(
                    "parent probabilities must be (N," + weights.length + "), got " + s);
        }
        return parentTerm(probabilities, probabilities.onesLike());
    }

    /** 1 − Σ w·m·p^e / Σ w·m over known ranks (m = 1); 0 for a sample with no known parent rank. */
    private NDArray parentTerm(NDArray probabilities, NDArray known) {
        NDArray w = probabilities.getManager().create(toFloats(weights)).mul(known);
        NDArray e = probabilities.getManager().create(toFloats(exponents));
        NDArray reached = probabilities.clip(PROBABILITY_FLOOR, 1f).pow(e).mul(w).sum(new int[] {1});
        NDArray mass = w.sum(new int[] {1});
        return mass.sub(reached).div(mass.maximum(1e-12f));
    }

    @Override
    public NDArray compute(NDArray leafLogits, NDArray labels, NDArray sampleWeights) {
        LabelBatch batch = LabelBatch.of(hierarchy.taxonomy(), leafLogits, labels, sampleWeights);
        int leaf = hierarchy.depth() - 1;
        NDList probabilities = hierarchy.rankProbabilities(leafLogits);
        NDList atLabel = new NDList();
        NDList known = new NDList();
        for (int r = 0; r < leaf; r++) {
            atLabel.add(batch.atLabel(probabilities.get(r), r));
            known.add(batch.known(r, leafLogits.getDataType()));
        }
        NDArray parentKnown = NDArrays.stack(known, 1);
        NDArray parent = parentTerm(NDArrays.stack(atLabel, 1), parentKnown).mul((float) parentScale);
        NDArray leafKnown = batch.known(leaf, leafLogits.getDataType());
        NDArray nll = batch.atLabel(leafLogits.logSoftmax(1), leaf).neg().mul(leafKnown);
        NDArray counted = parentKnown.max(new int[] {1}).maximum(leafKnown);
        return batch.weightedMean(nll.add(parent), counted);
    }

    private static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}
