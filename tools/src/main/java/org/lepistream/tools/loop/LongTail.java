package org.lepistream.tools.loop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.lepistream.vision.data.Sample;

/**
 * A long-tailed stream cut from a balanced labelled set, the shape a real programme's uploads have: species ranked in
 * a random (seeded) order get {@code head · k^−a} stream photos for rank k, with a chosen so that the last rank gets
 * {@code tail}. Every species also gives {@code seedPerSpecies} photos to the initial model, and {@code val} is halved
 * per species into the gate's half and an evaluation half that nothing selects on.
 */
public record LongTail(int seedPerSpecies, int head, int tail, int rareSpecies) {

    public LongTail {
        if (seedPerSpecies < 1 || tail < 1 || head < tail || rareSpecies < 1) {
            throw new IllegalArgumentException("long tail needs seed >= 1, 1 <= tail <= head and rare >= 1, got seed "
                    + seedPerSpecies + ", head " + head + ", tail " + tail + ", rare " + rareSpecies);
        }
    }

    /** The setting: 3 seed photos each, 80 down to 3 stream photos, the 10 rarest reported apart. */
    public static final LongTail DEFAULT = new LongTail(3, 80, 3, 10);

    /** What one simulation runs on; {@code streamCounts} is by species (leaf index), rarest last. */
    public record Plan(List<Sample> seed, List<Sample> stream, List<Sample> gateVal, List<Sample> evaluation,
            Map<Integer, Integer> streamCounts, List<Integer> rare) {
    }

    /** Stream photos for the species at 1-based frequency rank {@code k} of {@code species}. */
    public int count(int k, int species) {
        if (species == 1) {
            return head;
        }
        double a = Math.log((double) head / tail) / Math.log(species);
        return Math.max(tail, (int) Math.round(head * Math.pow(k, -a)));
    }

    public Plan plan(List<Sample> train, List<Sample> val, long seed) {
        Random rng = new Random(seed);
        Map<Integer, List<Sample>> bySpecies = bySpecies(train, rng);
        List<Integer> order = new ArrayList<>(bySpecies.keySet());
        Collections.shuffle(order, rng);
        List<Sample> seedSet = new ArrayList<>();
        List<Sample> stream = new ArrayList<>();
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        for (int k = 1; k <= order.size(); k++) {
            int species = order.get(k - 1);
            List<Sample> photos = bySpecies.get(species);
            int seeds = Math.min(seedPerSpecies, photos.size());
            seedSet.addAll(photos.subList(0, seeds));
            int n = Math.min(count(k, order.size()), photos.size() - seeds);
            stream.addAll(photos.subList(seeds, seeds + n));
            counts.put(species, n);
        }
        Collections.shuffle(stream, rng);
        List<Integer> byCount = new ArrayList<>(counts.keySet());
        byCount.sort(Comparator.comparing(counts::get));
        List<Integer> rare = List.copyOf(byCount.subList(0, Math.min(rareSpecies, byCount.size())));
        List<Sample> gate = new ArrayList<>();
        List<Sample> evaluation = new ArrayList<>();
        bySpecies(val, rng).values().forEach(photos -> {
            int half = photos.size() / 2;
            gate.addAll(photos.subList(0, half));
            evaluation.addAll(photos.subList(half, photos.size()));
        });
        return new Plan(seedSet, stream, gate, evaluation, counts, rare);
    }

    /** Photos grouped by species in leaf order, each group shuffled (ids sorted first: the load order must not matter). */
    private static Map<Integer, List<Sample>> bySpecies(List<Sample> samples, Random rng) {
        Map<Integer, List<Sample>> out = new TreeMap<>();
        samples.stream().sorted(Comparator.comparing(Sample::id))
                .forEach(x -> out.computeIfAbsent(x.leaf(), k -> new ArrayList<>()).add(x));
        out.values().forEach(l -> Collections.shuffle(l, rng));
        return out;
    }
}
