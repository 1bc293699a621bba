package org.lepistream.tools.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.lepistream.decision.routing.Calibration;
import org.lepistream.vision.data.Sample;

class LongTailTest {

    /** {@code perSpecies} photos of each of {@code species} species in one split. */
    private static List<Sample> photos(int species, int perSpecies, String split) {
        List<Sample> out = new ArrayList<>();
        for (int s = 0; s < species; s++) {
            for (int i = 0; i < perSpecies; i++) {
                String id = split + "-" + s + "-" + i;
                out.add(new Sample(id, Path.of(id + ".jpg"), null, s, new int[] {0, s}, split));
            }
        }
        return out;
    }

    @Test
    void countsFallAsAPowerLawFromHeadToTail() {
        LongTail t = LongTail.DEFAULT;
        assertEquals(80, t.count(1, 75));
        assertEquals(3, t.count(75, 75));
        for (int k = 1; k < 75; k++) {
            assertTrue(t.count(k, 75) >= t.count(k + 1, 75), "non-increasing at rank " + k);
        }
        for (int k = 66; k <= 75; k++) {
            assertTrue(t.count(k, 75) <= 5, "the 10 rarest have at most 5 photos, rank " + k);
        }
        assertThrows(IllegalArgumentException.class, () -> new LongTail(3, 2, 3, 10));
    }

    @Test
    void planKeepsSeedStreamAndBothValHalvesApart() {
        List<Sample> train = photos(20, 60, "train");
        List<Sample> val = photos(20, 9, "val");
        LongTail t = new LongTail(2, 50, 2, 4);
        LongTail.Plan p = t.plan(train, val, 7);

        assertEquals(40, p.seed().size());
        p.seed().stream().collect(Collectors.groupingBy(Sample::leaf)).values()
                .forEach(g -> assertEquals(2, g.size()));
        Set<String> seedIds = p.seed().stream().map(Sample::id).collect(Collectors.toSet());
        assertTrue(p.stream().stream().noneMatch(x -> seedIds.contains(x.id())), "no seed photo is streamed");
        assertEquals(p.streamCounts().values().stream().mapToInt(Integer::intValue).sum(), p.stream().size());
        List<Integer> counts = new ArrayList<>(p.streamCounts().values());
        assertEquals(50, counts.get(0));
        assertEquals(2, counts.get(counts.size() - 1));
        assertEquals(4, p.rare().size());
        p.rare().forEach(r -> assertEquals(2, p.streamCounts().get(r)));

        assertEquals(20 * 4, p.gateVal().size());
        assertEquals(20 * 5, p.evaluation().size());
        Set<String> gate = p.gateVal().stream().map(Sample::id).collect(Collectors.toSet());
        assertTrue(p.evaluation().stream().noneMatch(x -> gate.contains(x.id())), "val halves are disjoint");
        assertEquals(20, p.evaluation().stream().map(Sample::leaf).distinct().count(), "every species evaluated");
    }

    @Test
    void planIsSeededAndIndependentOfLoadOrder() {
        List<Sample> train = photos(10, 30, "train");
        List<Sample> shuffled = new ArrayList<>(train);
        Collections.shuffle(shuffled, new java.util.Random(3));
        LongTail t = new LongTail(2, 20, 2, 3);
        LongTail.Plan a = t.plan(train, photos(10, 4, "val"), 5);
        LongTail.Plan b = t.plan(shuffled, photos(10, 4, "val"), 5);
        assertEquals(ids(a.stream()), ids(b.stream()));
        assertEquals(a.rare(), b.rare());
        LongTail.Plan c = t.plan(train, photos(10, 4, "val"), 6);
        assertTrue(!ids(a.stream()).equals(ids(c.stream())), "another seed, another tail");
    }

    private static List<String> ids(List<Sample> s) {
        return s.stream().map(Sample::id).toList();
    }

    private static Calibration.Observation said(int truth, int predicted, int species) {
        double[] p = new double[species];
        p[predicted] = 1;
        return new Calibration.Observation(new double[][] {{1}, p}, List.of(), null, 0, new int[] {0, truth});
    }

    @Test
    void tailScoreWeighsEverySpeciesTheSame() {
        // Species 0: 8 photos, all right; species 1: 2 photos, none right; species 2 (rare): 1 of 2 right.
        List<Calibration.Observation> obs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            obs.add(said(0, 0, 3));
        }
        obs.add(said(1, 0, 3));
        obs.add(said(1, 2, 3));
        obs.add(said(2, 2, 3));
        obs.add(said(2, 0, 3));
        TailScore s = TailScore.of(obs, List.of(2));
        assertEquals(12, s.photos());
        assertEquals(9.0 / 12, s.speciesTop1(), 1e-12);
        assertEquals((1.0 + 0 + 0.5) / 3, s.macroRecall(), 1e-12);
        assertEquals(0.5, s.rareRecall(), 1e-12);
        assertTrue(Double.isNaN(TailScore.of(obs, Set.of(9)).rareRecall()), "a rare species never evaluated");
        assertThrows(IllegalArgumentException.class, () -> TailScore.of(List.of(), new HashSet<>()));
    }
}
