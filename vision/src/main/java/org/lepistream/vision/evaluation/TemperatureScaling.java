package org.lepistream.vision.evaluation;

/**
 * Temperature scaling (Guo et al., 2017): one scalar T with softmax(logits / T) fitted to minimise the negative
 * log-likelihood of held-out labels. It leaves every ranking (so top-k accuracy) unchanged and only makes the
 * probabilities honest, which the routing thresholds take at their word.
 *
 * <p>Works from probabilities at T = 1: softmax(log p / T) = softmax(logits / T), because log p differs from the
 * logits by a per-row constant.
 */
public final class TemperatureScaling {
    /** Temperatures searched: a model this far off is broken, not over-confident. */
    static final double MIN = 0.05;
    static final double MAX = 20;
    private static final double FLOOR = 1e-12;

    private TemperatureScaling() {
    }

    /**
     * The temperature that minimises the mean NLL of {@code labels} under {@code probabilities} (rows at T = 1;
     * labels below 0 are skipped).
     */
    public static double fit(double[][] probabilities, int[] labels) {
        double[][] logs = logs(probabilities);
        // NLL is convex in 1/T (a log-sum-exp of linear functions), so a golden-section search finds its minimum.
        double lo = 1 / MAX;
        double hi = 1 / MIN;
        double g = (Math.sqrt(5) - 1) / 2;
        double a = hi - g * (hi - lo);
        double b = lo + g * (hi - lo);
        double fa = nll(logs, labels, a);
        double fb = nll(logs, labels, b);
        for (int i = 0; i < 80; i++) {
            if (fa < fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - g * (hi - lo);
                fa = nll(logs, labels, a);
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + g * (hi - lo);
                fb = nll(logs, labels, b);
            }
        }
        return 1 / ((lo + hi) / 2);
    }

    /** The rows rescaled to temperature {@code t}. */
    public static double[][] apply(double[][] probabilities, double t) {
        double[][] logs = logs(probabilities);
        double[][] out = new double[logs.length][];
        for (int i = 0; i < logs.length; i++) {
            out[i] = softmax(logs[i], 1 / t);
        }
        return out;
    }

    /** Mean negative log-likelihood of the labels under the rows as they are. */
    public static double meanNll(double[][] probabilities, int[] labels) {
        return nll(logs(probabilities), labels, 1);
    }

    /** Mean negative log-likelihood of the labels at inverse temperature {@code beta}. */
    static double nll(double[][] logs, int[] labels, double beta) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < logs.length; i++) {
            if (labels[i] < 0) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logs[i]) {
                max = Math.max(max, beta * v);
            }
            double total = 0;
            for (double v : logs[i]) {
                total += Math.exp(beta * v - max);
            }
            sum += max + Math.log(total) - beta * logs[i][labels[i]];
            n++;
        }
        if (n == 0) {
            throw new IllegalArgumentException("no labelled rows to fit a temperature on");
        }
        return sum / n;
    }

    private static double[][] logs(double[][] probabilities) {
        double[][] out = new double[probabilities.length][];
        for (int i = 0; i < probabilities.length; i++) {
            out[i] = new double[probabilities[i].length];
            for (int k = 0; k < out[i].length; k++) {
                out[i][k] = Math.log(Math.max(FLOOR, probabilities[i][k]));
            }
        }
        return out;
    }

    private static double[] softmax(double[] logs, double beta) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logs) {
            max = Math.max(max, beta * v);
        }
        double total = 0;
        double[] out = new double[logs.length];
        for (int k = 0; k < logs.length; k++) {
            out[k] = Math.exp(beta * logs[k] - max);
            total += out[k];
        }
        for (int k = 0; k < logs.length; k++) {
            out[k] /= total;
        }
        return out;
    }
}
