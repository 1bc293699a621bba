package org.lepistream.tools.loop;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.lepistream.decision.routing.Calibration;

/**
 * How a model does on a long tail, from its top species on evaluation photos: top-1 (dominated by the common
 * species), macro recall (every species counts the same) and the mean recall of the rare species alone.
 */
public record TailScore(int photos, double speciesTop1, double macroRecall, double rareRecall) {

    public static TailScore of(Iterable<Calibration.Observation> observations, Collection<Integer> rare) {
        Map<Integer, int[]> perSpecies = new HashMap<>(); // species -> {photos, right}
        int n = 0;
        int right = 0;
        for (Calibration.Observation o : observations) {
            double[] p = o.rankProbabilities()[o.rankProbabilities().length - 1];
            int truth = o.labels()[o.labels().length - 1];
            int best = 0;
            for (int i = 1; i < p.length; i++) {
                best = p[i] > p[best] ? i : best;
            }
            int[] c = perSpecies.computeIfAbsent(truth, k -> new int[2]);
            c[0]++;
            if (best == truth) {
                c[1]++;
                right++;
            }
            n++;
        }
        if (n == 0) {
            throw new IllegalArgumentException("no evaluation photos to score");
        }
        return new TailScore(n, (double) right / n, meanRecall(perSpecies, perSpecies.keySet()),
                meanRecall(perSpecies, rare));
    }

    private static double meanRecall(Map<Integer, int[]> perSpecies, Collection<Integer> species) {
        double sum = 0;
        int k = 0;
        for (int s : species) {
            int[] c = perSpecies.get(s);
            if (c != null) {
                sum += (double) c[1] / c[0];
                k++;
            }
        }
        return k == 0 ? Double.NaN : sum / k;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "top-1 %.3f, macro recall %.3f, rare recall %.3f (%d photos)", speciesTop1,
                macroRecall, rareRecall, photos);
    }
}
