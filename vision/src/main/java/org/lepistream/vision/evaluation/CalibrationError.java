package org.lepistream.vision.evaluation;

import org.lepistream.decision.analysis.ImageAnalysis;

/**
 * Expected calibration error: how far the top-1 confidence is from the observed accuracy, averaged over equal-width
 * confidence bins weighted by their size. Routing by confidence threshold is only as good as this number.
 */
public final class CalibrationError {
    /** Bins used for the reported ECE (the usual 15). */
    public static final int DEFAULT_BINS = 15;

    private CalibrationError() {
    }

    /**
     * @param confidence top-1 probability per image, in [0,1]
     * @param correct whether the top-1 prediction was right
     * @return ECE in [0,1], or {@code NaN} for no images
     */
    public static double expected(double[] confidence, boolean[] correct, int bins) {
        if (confidence.length != correct.length) {
            throw new IllegalArgumentException(confidence.length + " confidences but " + correct.length + " outcomes");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        if (confidence.length == 0) {
            return Double.NaN;
        }
        double[] confSum = new double[bins];
        int[] hits = new int[bins];
        int[] count = new int[bins];
        for (int i = 0; i < confidence.length; i++) {
            double c = confidence[i];
            if (!(c >= 0 && c <= 1)) {
                throw new IllegalArgumentException("confidence " + c + " of image " + i + " is not in [0,1]");
            }
            // Bins are (lo, hi]; a confidence of exactly 0 goes into the first.
            int b = Math.min(bins - 1, Math.max(0, (int) Math.ceil(c * bins) - 1));
            confSum[b] += c;
            count[b]++;
            if (correct[i]) {
                hits[b]++;
            }
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += Math.abs((double) hits[b] / count[b] - confSum[b] / count[b]) * count[b] / confidence.length;
            }
        }
        return ece;
    }

    /**
     * ECE of the top-1 choice of each row of {@code probabilities} against {@code labels}; rows whose label is below
     * 0 (unknown at this rank) are skipped.
     */
    public static double expected(double[][] probabilities, int[] labels, int bins) {
        int n = RankAccuracy.counted(labels);
        double[] confidence = new double[n];
        boolean[] correct = new boolean[n];
        int k = 0;
        for (int i = 0; i < probabilities.length; i++) {
            if (labels[i] < 0) {
                continue;
            }
            int top = ImageAnalysis.argmax(probabilities[i]);
            confidence[k] = probabilities[i][top];
            correct[k++] = top == labels[i];
        }
        return expected(confidence, correct, bins);
    }
}
