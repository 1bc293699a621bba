package org.lepistream.streams.routing;

import org.lepistream.decision.routing.Thresholds;
import org.lepistream.decision.routing.HierarchicalDecision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.Route;

class RouterTest {

    private final Router router = new Router(new Thresholds(new double[] {0.5, 0.5, 0.5}, 0.6));

    private static HierarchicalDecision.Decision at(int rank, boolean confident) {
        return new HierarchicalDecision.Decision(rank, 0, 0.9, new int[rank + 1], confident);
    }

    @Test
    void confidentSpeciesWithAttentionOnTheButterflyIsIdentified() {
        var r = router.route(at(2, true), 2, 0.8);
        assertEquals(Route.IDENTIFIED, r.route());
        assertEquals(List.of(), r.reasons());
    }

    @Test
    void attentionOnTheBackgroundGoesToReviewEvenWhenConfident() {
        var r = router.route(at(2, true), 2, 0.59);
        assertEquals(Route.REVIEW, r.route());
        assertEquals(List.of(ReviewReason.LOW_OVERLAP), r.reasons());
    }

    /** The cascade did not measure the overlap (NaN): the router decides on confidence alone. */
    @Test
    void anUnmeasuredOverlapIsNotAReasonForReview() {
        assertEquals(Route.IDENTIFIED, router.route(at(2, true), 2, Double.NaN).route());
        assertEquals(List.of(ReviewReason.LOW_CONFIDENCE), router.route(at(0, false), 2, Double.NaN).reasons());
    }

    @Test
    void rolledUpAndUnconfidentDecisionsNameTheirReasons() {
        assertEquals(List.of(ReviewReason.ROLLED_UP), router.route(at(1, true), 2, 0.9).reasons());
        assertEquals(List.of(ReviewReason.LOW_CONFIDENCE), router.route(at(0, false), 2, 0.9).reasons());
        assertEquals(List.of(ReviewReason.LOW_OVERLAP, ReviewReason.ROLLED_UP),
                router.route(at(0, true), 2, 0.1).reasons());
    }

    @Test
    void thresholdsComeFromConfigurationThenBundleThenFallback() {
        List<String> ranks = List.of("family", "genus", "species");
        Thresholds t = Thresholds.resolve(ranks,
                Map.of("species.minProbability", 0.8, "genus", 0.7, "overlap", 0.4),
                Map.of("genus", 0.65));
        assertEquals(Thresholds.FALLBACK, t.perRank()[0], 1e-12);
        assertEquals(0.65, t.perRank()[1], 1e-12);
        assertEquals(0.8, t.perRank()[2], 1e-12);
        assertEquals(0.4, t.overlap(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Thresholds.resolve(ranks, Map.of("species", 1.5), Map.of()));
        // As the trainer writes them.
        Thresholds trained = Thresholds.resolve(ranks, Map.of("family.minProbability", 0.3,
                "genus.minProbability", 0.4, "species.minProbability", 0.6, "attentionInMask.min", 0.2), Map.of());
        assertEquals(List.of(0.3, 0.4, 0.6), java.util.Arrays.stream(trained.perRank()).boxed().toList());
        assertEquals(0.2, trained.overlap(), 1e-12);
    }

    @Test
    void topKIsBestFirstWithStableTies() {
        var top = TopK.of(new double[] {0.1, 0.4, 0.4, 0.1}, 3);
        assertEquals(List.of(1, 2, 0), top.stream().map(TopK.Candidate::index).toList());
    }
}
