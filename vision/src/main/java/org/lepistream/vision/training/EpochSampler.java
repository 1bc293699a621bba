package org.lepistream.vision.training;

import java.util.Random;

/**
 * Decides which training images an epoch visits and in what order. The default shuffles every image once; the
 * adaptive trainer plugs in {@link #weighted} to draw hard or rare images more often.
 */
@FunctionalInterface
public interface EpochSampler {

    /** Indices into the training list for one epoch (may repeat or omit indices). */
    int[] order(int trainSize, int epoch, Random rng);

    /** Every image once per epoch, in a fresh random order. */
    static EpochSampler shuffle() {
        return (n, epoch, rng) -> {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            return idx;
        };
    }

    /**
     * {@code trainSize} draws with replacement, image i with probability proportional to {@code weights[i]}; the
     * epoch keeps its usual length so schedules and ETAs stay comparable.
     */
    static EpochSampler weighted(double[] weights) {
        double[] cumulative = new double[weights.length];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || !Double.isFinite(weights[i])) {
                throw new IllegalArgumentException("sampling weight " + weights[i] + " of image " + i
                        + " must be finite and >= 0");
            }
            total += weights[i];
            cumulative[i] = total;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("at least one sampling weight must be > 0");
        }
        final double sum = total;
        return (n, epoch, rng) -> {
            if (n != weights.length) {
                throw new IllegalArgumentException(weights.length + " sampling weights for " + n + " images");
            }
            int[] idx = new int[n];
            for (int k = 0; k < n; k++) {
                double u = rng.nextDouble() * sum;
                int lo = 0;
                int hi = n - 1;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (cumulative[mid] > u) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                idx[k] = lo;
            }
            return idx;
        };
    }
}
