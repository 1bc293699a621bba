package org.lepistream.vision.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Seeded, per-class subsampling: "--train-fraction 0.25" keeps a quarter of every species, so small fractions never
 * drop a whole class and the same seed always keeps the same images.
 */
public final class StratifiedSubset {
    private StratifiedSubset() {
    }

    /**
     * Keeps {@code round(fraction × n)} items of each stratum (at least one while {@code fraction > 0}), in the input
     * order. Items whose stratum is negative (unknown species) form one stratum of their own.
     */
    public static <T> List<T> of(List<T> items, ToIntFunction<T> stratum, double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0,1], got " + fraction);
        }
        if (fraction == 1) {
            return List.copyOf(items);
        }
        if (fraction == 0 || items.isEmpty()) {
            return List.of();
        }
        Map<Integer, List<Integer>> byStratum = new TreeMap<>();
        for (int i = 0; i < items.size(); i++) {
            int s = Math.max(-1, stratum.applyAsInt(items.get(i)));
            byStratum.computeIfAbsent(s, k -> new ArrayList<>()).add(i);
        }
        boolean[] keep = new boolean[items.size()];
        for (Map.Entry<Integer, List<Integer>> e : byStratum.entrySet()) {
            List<Integer> members = new ArrayList<>(e.getValue());
            // One generator per stratum: adding images of one species does not reshuffle the others.
            Collections.shuffle(members, new Random(seed * 1_000_003L + e.getKey()));
            int n = Math.max(1, (int) Math.round(fraction * members.size()));
            for (int i = 0; i < n; i++) {
                keep[members.get(i)] = true;
            }
        }
        List<T> kept = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (keep[i]) {
                kept.add(items.get(i));
            }
        }
        return kept;
    }
}
