package org.lepistream.vision.evaluation;

/** Top-k accuracy at one taxonomic rank, counting only images whose label at that rank is known. */
public final class RankAccuracy {
    private RankAccuracy() {
    }

    /**
     * Share of images whose true class is among the {@code k} most probable.
     *
     * @param probabilities one row of class probabilities per image
     * @param labels true class per image, {@code -1} when unknown (skipped)
     * @return the accuracy, or {@code NaN} when no image has a known label
     */
    public static double topK(double[][] probabilities, int[] labels, int k) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException(
                    "probabilities for " + probabilities.length + " images but " + labels.length + " labels");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int counted = 0;
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                continue;
            }
            double[] p = probabilities[i];
            if (labels[i] >= p.length) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside the "
                        + p.length + " classes");
            }
            counted++;
            if (rankOf(p, labels[i]) < k) {
                hits++;
            }
        }
        return counted == 0 ? Double.NaN : (double) hits / counted;
    }

    /** Number of images with a known label. */
    public static int counted(int[] labels) {
        int n = 0;
        for (int l : labels) {
            if (l >= 0) {
                n++;
            }
        }
        return n;
    }


    // Ties are broken against the true class (a constant output must not score top-1) so that a
    // degenerate uniform predictor gets no credit.
    private static int rankOf(double[] p, int label) {
        int rank = 0;
        for (int j = 0; j < p.length; j++) {
            if (j != label && p[j] >= p[label]) {
                rank++;
            }
        }
        return rank;
    }
}
