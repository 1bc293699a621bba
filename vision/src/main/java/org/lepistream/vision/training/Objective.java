package org.lepistream.vision.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.lepistream.vision.loss.AsymptoticHierarchicalLoss;
import org.lepistream.vision.loss.FlatCrossEntropy;
import org.lepistream.vision.loss.GuidedAttentionLoss;
import org.lepistream.vision.loss.HierarchicalCrossEntropy;
import org.lepistream.vision.loss.Hierarchy;
import org.lepistream.vision.loss.TaxonomyLoss;

/**
 * The training objective of one run: the chosen taxonomy loss, plus the guided-attention loss scaled by the guided
 * weight when the variant asks for it.
 */
public final class Objective {
    private final TaxonomyLoss classification;
    private final GuidedAttentionLoss guided;
    private final float guidedWeight;

    private Objective(TaxonomyLoss classification, GuidedAttentionLoss guided, double guidedWeight) {
        this.classification = classification;
        this.guided = guided;
        this.guidedWeight = (float) guidedWeight;
    }

    /** Builds the objective a configuration names, checking that its λs fit the taxonomy's ranks. */
    public static Objective of(TrainConfig config, Hierarchy hierarchy) {
        TaxonomyLoss loss = switch (config.loss()) {
            case FLAT -> new FlatCrossEntropy(hierarchy, config.labelSmoothing());
            case WCE -> {
                double[] lambdas = config.lambdaArray();
                if (lambdas.length != hierarchy.depth()) {
                    throw new IllegalArgumentException("--lambdas needs one weight per rank "
                            + hierarchy.taxonomy().ranks() + ", got " + config.lambdas());
                }
                yield new HierarchicalCrossEntropy(hierarchy, lambdas, config.labelSmoothing());
            }
            case ASYMPTOTIC -> new AsymptoticHierarchicalLoss(hierarchy);
        };
        boolean useGuided = config.variant().guided() && config.guidedWeight() > 0;
        return new Objective(loss, useGuided ? new GuidedAttentionLoss() : null, config.guidedWeight());
    }

    /** Whether the objective needs masks (and therefore attention maps). */
    public boolean guided() {
        return guided != null;
    }

    /**
     * The scalar loss of a batch.
     *
     * @param outputs the classifier's outputs: leaf logits, then one attention map per level
     * @param labels (N, depth) node indices, −1 unknown
     * @param weights (N) sample weights or null
     * @param masks (N,1,S,S) butterfly masks, or null when not guided
     * @param maskWeights (N) 1 for images with a (hand or predicted) mask, 0 without; null when not guided
     */
    public NDArray compute(NDList outputs, NDArray labels, NDArray weights, NDArray masks, NDArray maskWeights) {
        NDArray loss = classification.compute(outputs.get(0), labels, weights);
        if (guided == null) {
            return loss;
        }
        if (outputs.size() < 2) {
            throw new IllegalStateException("the guided variant needs a classifier with CBAM attention maps");
        }
        NDArray w = weights == null ? maskWeights : maskWeights.mul(weights);
        NDArray attention = guided.compute(outputs.subNDList(1), masks, w);
        return loss.add(attention.mul(guidedWeight));
    }
}
