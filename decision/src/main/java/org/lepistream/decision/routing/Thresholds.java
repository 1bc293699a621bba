package org.lepistream.decision.routing;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** Routing thresholds: a minimum probability per rank (top to leaf) and a minimum Over-CAM overlap. */
public record Thresholds(double[] perRank, double overlap) {

    /** Used for a rank or the overlap when neither the bundle nor the configuration names one. */
    public static final double FALLBACK = 0.5;

    public Thresholds {
        perRank = perRank.clone();
        for (double t : perRank) {
            checkUnit("rank threshold", t);
        }
        checkUnit("overlap threshold", overlap);
    }

    @Override
    public double[] perRank() {
        return perRank.clone();
    }

    /**
     * Thresholds for the given ranks: configuration overrides win over the bundle's calibrated values, which win over
     * {@link #FALLBACK}. Keys are the rank names ("species", "genus", "family") and "overlap", case-insensitive,
     * alone or decorated as bundles write them ("threshold.species", "species_threshold", "species.minProbability"); the
     * overlap threshold may also be called "attentionInMask.min" (the training side's name for it).
     */
    public static Thresholds resolve(List<String> ranks, Map<String, Double> bundle, Map<String, Double> overrides) {
        double[] per = new double[ranks.size()];
        for (int r = 0; r < ranks.size(); r++) {
            per[r] = lookup(ranks.get(r), bundle, overrides);
        }
        return new Thresholds(per, lookup("overlap", bundle, overrides));
    }

    private static double lookup(String name, Map<String, Double> bundle, Map<String, Double> overrides) {
        return find(name, overrides).orElse(find(name, bundle).orElse(FALLBACK));
    }

    /** The value of a rank's (or "overlap"'s) threshold in a map, in any of the spellings {@link #resolve} accepts. */
    static OptionalDouble find(String name, Map<String, Double> source) {
        List<String> names = name.equals("overlap")
                // The training side names the same quantity after its evaluation metric.
                ? List.of("overlap", "attentioninmask", "overcam") : List.of(name.toLowerCase(Locale.ROOT));
        List<String> spellings = new java.util.ArrayList<>();
        for (String n : names) {
            spellings.addAll(List.of(n, "threshold." + n, n + ".threshold", n + "_threshold", n + ".minprobability",
                    n + ".min", "min." + n, "min_" + n));
        }
        for (Map.Entry<String, Double> e : source.entrySet()) {
            if (e.getValue() != null && spellings.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                return OptionalDouble.of(e.getValue());
            }
        }
        return OptionalDouble.empty();
    }

    private static void checkUnit(String what, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1], got " + v);
        }
    }

    @Override
    public String toString() {
        return "Thresholds[perRank=" + Arrays.toString(perRank) + ", overlap=" + overlap + "]";
    }
}
