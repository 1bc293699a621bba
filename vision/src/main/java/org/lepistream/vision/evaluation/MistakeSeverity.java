package org.lepistream.vision.evaluation;

import java.util.function.IntBinaryOperator;

/**
 * How bad the species mistakes are: the taxonomic distance k to the lowest common ancestor of the true and predicted
 * leaf (1 = right genus, 2 = right family, …), as in "making better mistakes".
 *
 * @param mistakes number of wrong species predictions
 * @param counted images with a known species
 * @param meanOverMistakes mean k over the wrong predictions ({@code NaN} when there are none)
 * @param meanOverAll mean k over all counted images (right answers count as 0)
 * @param histogram {@code histogram[k]} = number of predictions at distance k (index 0 = correct)
 */
public record MistakeSeverity(int mistakes, int counted, double meanOverMistakes, double meanOverAll, int[] histogram) {

    /**
     * @param trueLeaves true leaf per image, {@code -1} unknown (skipped)
     * @param predictedLeaves predicted leaf per image
     * @param depth number of ranks (largest possible distance)
     * @param distance the taxonomy's {@code distanceToCommonAncestor}
     */
    public static MistakeSeverity measure(int[] trueLeaves, int[] predictedLeaves, int depth,
            IntBinaryOperator distance) {
        if (trueLeaves.length != predictedLeaves.length) {
            throw new IllegalArgumentException(
                    trueLeaves.length + " true leaves but " + predictedLeaves.length + " predictions");
        }
        int[] histogram = new int[depth + 1];
        int counted = 0;
        int mistakes = 0;
        long total = 0;
        for (int i = 0; i < trueLeaves.length; i++) {
            if (trueLeaves[i] < 0) {
                continue;
            }
            int k = distance.applyAsInt(trueLeaves[i], predictedLeaves[i]);
            if (k < 0 || k > depth) {
                throw new IllegalStateException("distance " + k + " outside 0.." + depth);
            }
            histogram[k]++;
            counted++;
            if (k > 0) {
                mistakes++;
                total += k;
            }
        }
        return new MistakeSeverity(mistakes, counted, mistakes == 0 ? Double.NaN : (double) total / mistakes,
                counted == 0 ? Double.NaN : (double) total / counted, histogram);
    }
}
