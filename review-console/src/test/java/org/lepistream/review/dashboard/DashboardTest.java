package org.lepistream.review.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lepistream.review.Fixtures;
import org.lepistream.review.queue.Outcome;
import org.lepistream.review.queue.QueueItem;
import org.lepistream.review.queue.Stats;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.Verdict;

class DashboardTest {

    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

    private static Outcome outcome(String id, String reviewer, Verdict v, String taxon, String rank, Instant at) {
        QueueItem modelSaid = QueueItem.of(Fixtures.request(id, "Vanessa cardui", ReviewReason.LOW_OVERLAP, 0.3,
                "v1", T, null));
        return Outcome.of(ExpertLabel.newBuilder().setSightingId(id).setReviewerId(reviewer).setVerdict(v)
                .setTaxon(taxon).setRank(rank).setLabelledAt(at).build(), modelSaid);
    }

    @Test
    void agreementIsCountedAtTheLabelsRankAndAboveOnly() {
        List<Outcome> outcomes = List.of(
                outcome("1", "alice", Verdict.CONFIRMED, "Vanessa cardui", "species", T),
                outcome("2", "alice", Verdict.CORRECTED, "Vanessa atalanta", "species", T),
                outcome("3", "bob", Verdict.CORRECTED, "Pieris", "genus", T.plusSeconds(86_400)),
                outcome("4", "bob", Verdict.UNIDENTIFIABLE, null, null, T.plusSeconds(86_400)));
        Dashboard d = Dashboard.of(List.of(), outcomes, Map.of(), Fixtures.TAXONOMY);
        assertEquals(new Dashboard.Agreement(2, 3), d.agreementByRank().get("family"));
        assertEquals(new Dashboard.Agreement(2, 3), d.agreementByRank().get("genus"));
        assertEquals(new Dashboard.Agreement(1, 2), d.agreementByRank().get("species"));
        assertEquals(Map.of("alice", 2), d.labelsPerDay().get(LocalDate.of(2026, 3, 1)));
        assertEquals(Map.of("bob", 2), d.labelsPerDay().get(LocalDate.of(2026, 3, 2)));
        assertEquals(1, d.verdicts().get("UNIDENTIFIABLE"));
    }

    @Test
    void queueByReasonModelsAndOverlapHistogramsComeFromTheCounters() {
        List<QueueItem> pending = List.of(
                QueueItem.of(Fixtures.request("a", "Pieris rapae", ReviewReason.LOW_OVERLAP, 0.1, "v2", T, null)),
                QueueItem.of(Fixtures.request("b", "Pieris rapae", ReviewReason.LOW_OVERLAP, 0.1, "v2", T, null)),
                QueueItem.of(Fixtures.request("c", "Pieris rapae", ReviewReason.ROLLED_UP, 0.1, "v2", T, null)));
        Map<String, Long> stats = Map.of(Stats.overlapBucket(Stats.REVIEW_OVERLAP, 0.12), 3L,
                Stats.overlapBucket(Stats.ACCEPTED_OVERLAP, 1.0), 5L, Stats.MODEL_REVIEW + "v2", 3L,
                Stats.MODEL_ACCEPTED + "v2", 5L, Stats.MODEL_LAST_SEEN + "v2", T.toEpochMilli(),
                Stats.UNDECODABLE_REQUESTS, 1L);
        Dashboard d = Dashboard.of(pending, List.of(), stats, Fixtures.TAXONOMY);
        assertEquals(3, d.queued());
        assertEquals(Map.of("LOW_OVERLAP", 2, "ROLLED_UP", 1), d.queueByReason());
        assertEquals(List.of(new Dashboard.ModelVersion("v2", 3, 5, T)), d.models());
        long[] review = new long[20];
        review[2] = 3;
        long[] accepted = new long[20];
        accepted[19] = 5;
        assertArrayEquals(review, d.reviewOverlap());
        assertArrayEquals(accepted, d.acceptedOverlap());
        assertEquals(Map.of(Stats.UNDECODABLE_REQUESTS, 1L), d.problems());
        String svg = OverlapPlot.svg(d.reviewOverlap(), d.acceptedOverlap());
        assertTrue(svg.startsWith("<svg") && svg.contains("sent to review (n=3)") && svg.contains("accepted (n=5)"),
                svg);
    }

    private static Outcome audited(String id, String model, Verdict v, String taxon, String rank) {
        QueueItem modelSaid = QueueItem.of(Fixtures.request(id, "Vanessa cardui", ReviewReason.AUDIT, 0.9, model, T,
                null));
        return Outcome.of(ExpertLabel.newBuilder().setSightingId(id).setReviewerId("alice").setVerdict(v)
                .setTaxon(taxon).setRank(rank).setLabelledAt(T).build(), modelSaid);
    }

    @Test
    void livePrecisionComesFromAuditsOnlyPerModelAndRank() {
        List<Outcome> outcomes = List.of(
                audited("a1", "v1", Verdict.CONFIRMED, "Vanessa cardui", "species"),
                audited("a2", "v1", Verdict.CORRECTED, "Vanessa atalanta", "species"),
                audited("a3", "v1", Verdict.NOT_A_BUTTERFLY, null, null),
                audited("a4", "v1", Verdict.UNIDENTIFIABLE, null, null),
                audited("a5", "v2", Verdict.CONFIRMED, "Vanessa cardui", "species"),
                // A review the model doubted says nothing about what it accepts.
                outcome("r1", "bob", Verdict.CORRECTED, "Vanessa atalanta", "species", T));
        Dashboard d = Dashboard.of(List.of(), outcomes, Map.of(), Fixtures.TAXONOMY);
        assertEquals(List.of(
                new LivePrecision.Row("v1", "family", 2, 3), new LivePrecision.Row("v1", "genus", 2, 3),
                new LivePrecision.Row("v1", "species", 1, 3), new LivePrecision.Row("v2", "family", 1, 1),
                new LivePrecision.Row("v2", "genus", 1, 1), new LivePrecision.Row("v2", "species", 1, 1)),
                d.livePrecision());
        // Audits are not part of the agreement on the review queue.
        assertEquals(new Dashboard.Agreement(0, 1), d.agreementByRank().get("species"));
    }

    @Test
    void theWilsonIntervalIsHonestAtSmallCountsAndNearOne() {
        double[] one = new LivePrecision.Row("v", "species", 1, 1).interval();
        assertEquals(0.207, one[0], 0.001); // one right answer proves little
        assertEquals(1.0, one[1], 1e-9);
        double[] many = new LivePrecision.Row("v", "species", 950, 1000).interval();
        assertTrue(many[0] > 0.93 && many[0] < 0.95 && many[1] > 0.95 && many[1] < 0.965, many[0] + " " + many[1]);
        double[] none = new LivePrecision.Row("v", "species", 0, 10).interval();
        assertEquals(0.0, none[0], 1e-9);
        assertEquals(0.278, none[1], 0.001);
    }
}
