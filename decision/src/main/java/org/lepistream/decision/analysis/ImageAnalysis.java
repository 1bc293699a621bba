package org.lepistream.decision.analysis;

import java.util.List;
import java.util.OptionalDouble;
import org.lepistream.decision.analysis.AttentionMap;

/**
 * What the model sees in one photo: probabilities at every rank, the classifier's spatial attention maps and the
 * segmenter's butterfly mask — everything the service needs to route the sighting.
 *
 * @param ranks rank names, top→leaf
 * @param rankProbabilities [rank][node] probabilities, top→leaf, node indices as in the bundle's taxonomy
 * @param attention one map per CBAM level in forward order; empty for a classifier without CBAM
 * @param mask per-pixel butterfly probability, row-major {@code maskSize × maskSize}; null without a segmenter, or
 *     when the model has one but the decision did not need the mask ({@link #maskSkipped})
 * @param maskSize side of the mask (the segmenter's input size), 0 without a segmenter
 * @param gradCam Grad-CAM of the most probable species on the last stage; null when not computed
 */
public record ImageAnalysis(List<String> ranks, double[][] rankProbabilities, List<AttentionMap> attention,
        float[] mask, int maskSize, AttentionMap gradCam) {

    public ImageAnalysis {
        ranks = List.copyOf(ranks);
        attention = List.copyOf(attention);
    }

    /** An analysis without Grad-CAM. */
    public ImageAnalysis(List<String> ranks, double[][] rankProbabilities, List<AttentionMap> attention, float[] mask,
            int maskSize) {
        this(ranks, rankProbabilities, attention, mask, maskSize, null);
    }

    /** The model has a segmenter, but it was not run for this photo: the decision could not depend on the mask. */
    public boolean maskSkipped() {
        return mask == null && maskSize > 0;
    }

    /** Probabilities over the leaves (species). */
    public double[] leafProbabilities() {
        return rankProbabilities[rankProbabilities.length - 1];
    }

    /** Index of the most probable node at a rank. */
    public int top(int rank) {
        return argmax(rankProbabilities[rank]);
    }

    /** Index of the largest value (the first one on ties): the most probable class of a distribution. */
    public static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Probability of the most probable node at a rank. */
    public double topProbability(int rank) {
        return rankProbabilities[rank][top(rank)];
    }

    /**
     * Over-CAM overlap: the mean share of attention that falls on the segmented butterfly (see
     * {@link AttentionMap#fractionInside}); empty without attention maps or without a mask.
     */
    public OptionalDouble attentionInMask() {
        if (mask == null) {
            return OptionalDouble.empty();
        }
        return AttentionMap.meanFractionInside(attention, mask, maskSize, maskSize);
    }
}
