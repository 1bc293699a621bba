package org.lepistream.trainer.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lepistream.decision.analysis.AttentionMap;
import org.lepistream.decision.routing.Calibration;
import org.lepistream.decision.taxonomy.Taxonomy;

class ScorerTest {
    /** F1 → {G1 → a, b}, F2 → {G2 → c}. */
    private static final Taxonomy TAXONOMY = Taxonomy.fromPaths(Taxonomy.DEFAULT_RANKS, List.of(
            new String[] {"F1", "G1", "a"}, new String[] {"F1", "G1", "b"}, new String[] {"F2", "G2", "c"}));
    /** Butterfly in the left half of a 2x2 mask. */
    private static final float[] MASK = {1, 0, 1, 0};
    private static final AttentionMap ON_BUTTERFLY = new AttentionMap(2, 2, new float[] {1, 0, 1, 0});
    private static final AttentionMap ON_GRASS = new AttentionMap(2, 2, new float[] {0, 1, 0, 1});

    private static Calibration.Observation photo(int truth, double pa, double pb, double pc, AttentionMap att) {
        double[][] ranks = {{pa + pb, pc}, {pa + pb, pc}, {pa, pb, pc}};
        int[] labels = {TAXONOMY.ancestor(truth, 0), TAXONOMY.ancestor(truth, 1), truth};
        return new Calibration.Observation(ranks, List.of(att), MASK, 2, labels);
    }

    @Test
    void scoresAsTheServiceWouldRoute() {
        List<Calibration.Observation> obs = new ArrayList<>();
        obs.add(photo(0, 0.9, 0.05, 0.05, ON_BUTTERFLY)); // right, accepted
        obs.add(photo(0, 0.9, 0.05, 0.05, ON_GRASS)); // right, but low overlap: review
        obs.add(photo(1, 0.9, 0.05, 0.05, ON_BUTTERFLY)); // wrong sibling (severity 1), accepted
        obs.add(photo(2, 0.6, 0.1, 0.3, ON_BUTTERFLY)); // wrong family (severity 3... depth 3 → 3), p 0.6: review
        Map<String, Double> t = Map.of("family", 0.5, "genus", 0.5, "species", 0.7, "overlap", 0.5);
        ModelScore s = Scorer.score(obs, TAXONOMY, t);
        assertEquals(4, s.n());
        assertEquals(0.5, s.speciesTop1(), 1e-12);
        assertEquals((0 + 0 + 1 + 3) / 4.0, s.mistakeSeverity(), 1e-12);
        assertEquals(0.5, s.acceptedPrecision(), 1e-12, "one of the two accepted is right");
        assertEquals(0.5, s.reviewRate(), 1e-12);
    }

    @Test
    void aboveTheReleasedCascadeTheOverlapIsNotConsulted() {
        // As the service serves a release that carries the cascade: from p 0.85 up the segmenter is not run.
        List<Calibration.Observation> obs = List.of(photo(0, 0.9, 0.05, 0.05, ON_GRASS),
                photo(0, 0.8, 0.1, 0.1, ON_GRASS));
        Map<String, Double> withCascade = Map.of("species", 0.7, "overlap", 0.5, "overlap.mask-free-above", 0.85);
        ModelScore s = Scorer.score(obs, TAXONOMY, withCascade);
        assertEquals(0.5, s.reviewRate(), 1e-12, "p 0.9 is accepted on confidence; p 0.8 still needs its overlap");
        assertEquals(1.0, Scorer.score(obs, TAXONOMY, Map.of("species", 0.7, "overlap", 0.5)).reviewRate(), 1e-12);
    }

    @Test
    void nothingAcceptedMeansNoPrecisionAndFullReview() {
        ModelScore s = Scorer.score(List.of(photo(0, 0.9, 0.05, 0.05, ON_BUTTERFLY)), TAXONOMY,
                Map.of("species", 0.99, "overlap", 0.5));
        assertTrue(Double.isNaN(s.acceptedPrecision()));
        assertEquals(1.0, s.reviewRate());
        assertTrue(s.asMetrics().containsKey("species_top1"));
        assertTrue(!s.asMetrics().containsKey("accepted_precision"));
    }
}
