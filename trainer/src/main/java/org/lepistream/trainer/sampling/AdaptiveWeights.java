package org.lepistream.trainer.sampling;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Applies a {@link WeightFormula} to a whole training set (class frequencies need every example at once). */
public final class AdaptiveWeights {

    /** What the formula needs to know about one example. */
    public record Item(String labelClass, WeightClass outcome) {
    }

    private AdaptiveWeights() {
    }

    /** One weight per item, in order, with mean 1 (all zero only if every outcome factor is zero). */
    public static double[] compute(List<Item> items, WeightFormula f) {
        int n = items.size();
        double[] w = new double[n];
        if (n == 0) {
            return w;
        }
        Map<String, Integer> perClass = new HashMap<>();
        for (Item it : items) {
            perClass.merge(it.labelClass(), 1, Integer::sum);
        }
        int k = perClass.size();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            Item it = items.get(i);
            double balance = Math.pow((double) n / ((double) k * perClass.get(it.labelClass())), f.classBalance());
            w[i] = Math.min(f.max(), Math.max(f.min(), f.outcome(it.outcome()) * balance));
            sum += w[i];
        }
        if (sum > 0) {
            double mean = sum / n;
            for (int i = 0; i < n; i++) {
                w[i] /= mean;
            }
        }
        return w;
    }
}
