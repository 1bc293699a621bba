package org.lepistream.trainer.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.RankPrediction;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.Route;
import org.lepistream.schemas.TaxonScore;
import org.lepistream.schemas.Timings;
import org.lepistream.schemas.Verdict;
import org.lepistream.trainer.sampling.WeightFormula;
import org.lepistream.trainer.store.TrainingExample;
import org.lepistream.decision.taxonomy.Taxonomy;

class ExampleBuilderTest {

    static final Taxonomy TAXONOMY = Taxonomy.fromPaths(Taxonomy.DEFAULT_RANKS, List.of(
            new String[] {"Nymphalidae", "Vanessa", "Vanessa atalanta"},
            new String[] {"Nymphalidae", "Vanessa", "Vanessa cardui"},
            new String[] {"Pieridae", "Pieris", "Pieris rapae"}));
    private static final JoinStore.Photo JPEG = new JoinStore.Photo(new byte[] {(byte) 0xff, (byte) 0xd8, 1}, "");
    private final ExampleBuilder builder = new ExampleBuilder(TAXONOMY, WeightFormula.DEFAULT);

    /** The service said Vanessa atalanta (species top-1), with the given route reasons. */
    static Identification said(String id, List<ReviewReason> reasons) {
        return Identification.newBuilder().setSightingId(id).setModelVersion("v1")
                .setPredictions(List.of(rank("family", "Nymphalidae"), rank("genus", "Vanessa"),
                        rank("species", "Vanessa atalanta")))
                .setDecidedRank("species").setDecidedTaxon("Vanessa atalanta").setOverlap(0.3).setConfidence(0.8)
                .setRoute(reasons.isEmpty() ? Route.IDENTIFIED : Route.REVIEW).setReasons(reasons)
                .setTimings(new Timings(1L, 1L, 1L)).setProcessedAt(Instant.EPOCH).build();
    }

    private static RankPrediction rank(String rank, String taxon) {
        return new RankPrediction(rank, List.of(new TaxonScore(taxon, 0.8)));
    }

    static ExpertLabel label(String id, Verdict v, String taxon, String rank) {
        return ExpertLabel.newBuilder().setSightingId(id).setReviewerId("r").setVerdict(v).setTaxon(taxon)
                .setRank(rank).setLabelledAt(Instant.ofEpochMilli(5)).setModelVersion("v1").build();
    }

    @Test
    void aConfirmedWellAttendedAnswerIsEasy() {
        TrainingExample e = builder.build(label("s1", Verdict.CONFIRMED, "Vanessa atalanta", "species"),
                said("s1", List.of()), JPEG, "expert-labels-0@1", 9).example();
        assertEquals(List.of("Nymphalidae", "Vanessa", "Vanessa atalanta"), e.labels());
        assertTrue(e.correct());
        assertEquals("easy", e.weightClass());
        assertEquals(0.5, e.outcomeWeight());
        assertEquals("v1", e.modelVersion());
        assertEquals(List.of("Nymphalidae", "Vanessa", "Vanessa atalanta"), e.predicted());
    }

    @Test
    void rightButLowOverlapAndWrongAreTheirOwnClasses() {
        TrainingExample low = builder.build(label("s2", Verdict.CONFIRMED, "Vanessa atalanta", "species"),
                said("s2", List.of(ReviewReason.LOW_OVERLAP)), JPEG, "x", 9).example();
        assertEquals("low-overlap", low.weightClass());
        assertTrue(low.lowOverlap());
        assertEquals(List.of("LOW_OVERLAP"), low.reasons(), "the reasons are kept: audits are told apart by them");
        TrainingExample wrong = builder.build(label("s3", Verdict.CORRECTED, "Pieris rapae", "species"),
                said("s3", List.of(ReviewReason.LOW_CONFIDENCE)), JPEG, "x", 9).example();
        assertFalse(wrong.correct());
        assertEquals("wrong", wrong.weightClass());
        assertEquals(2.0, wrong.outcomeWeight());
        assertEquals("jpg", builder.build(label("s3", Verdict.CORRECTED, "Pieris rapae", "species"),
                said("s3", List.of()), JPEG, "x", 9).extension());
    }

    @Test
    void aGenusLevelLabelKeepsItsAncestorsAndLeavesTheSpeciesBlank() {
        // The expert is sure of the genus only; the service's genus (Vanessa) was right.
        ExampleBuilder.Outcome o = builder.build(label("s4", Verdict.CORRECTED, "Vanessa", "genus"),
                said("s4", List.of(ReviewReason.ROLLED_UP)), JPEG, "x", 9);
        TrainingExample e = o.example();
        assertEquals(List.of("Nymphalidae", "Vanessa", ""), e.labels());
        assertEquals("genus", e.rank());
        assertTrue(e.trainable());
        assertTrue(e.correct(), "judged at the expert's rank");
        assertEquals("Vanessa", e.labelClass());
        // Without a rank, the deepest rank that knows the name is used.
        assertEquals(List.of("Pieridae", "", ""), builder.build(label("s5", Verdict.CORRECTED, "Pieridae", null),
                said("s5", List.of()), JPEG, "x", 9).example().labels());
    }

    @Test
    void unidentifiableAndNotAButterflyAreKeptButNotTrainable() {
        for (Verdict v : List.of(Verdict.UNIDENTIFIABLE, Verdict.NOT_A_BUTTERFLY)) {
            ExampleBuilder.Outcome o = builder.build(label("s6", v, null, null), said("s6", List.of()), JPEG, "x", 9);
            assertTrue(o.accepted(), v + " is kept");
            assertFalse(o.example().trainable());
            assertNull(o.example().correct());
            assertEquals(v.name(), o.example().verdict());
        }
    }

    @Test
    void aConfirmationWithoutTaxonConfirmsTheServiceDecision() {
        TrainingExample e = builder.build(label("s7", Verdict.CONFIRMED, null, null), said("s7", List.of()), JPEG,
                "x", 9).example();
        assertEquals("Vanessa atalanta", e.taxon());
        assertTrue(e.correct());
    }

    @Test
    void unknownTaxaAndRanksAreRejectedWithAReason() {
        ExampleBuilder.Outcome unknown = builder.build(label("s8", Verdict.CORRECTED, "Danaus plexippus", "species"),
                said("s8", List.of()), JPEG, "expert-labels-1@7", 9);
        assertFalse(unknown.accepted());
        assertEquals("UNKNOWN_TAXON", unknown.rejection().reason());
        assertEquals("expert-labels-1@7", unknown.rejection().source());
        assertTrue(unknown.rejection().detail().contains("Danaus plexippus"));
        assertEquals("UNKNOWN_RANK", builder.build(label("s9", Verdict.CORRECTED, "Vanessa", "tribe"),
                said("s9", List.of()), JPEG, "x", 9).rejection().reason());
        assertEquals("NO_TAXON", builder.build(label("s10", Verdict.CORRECTED, null, null),
                said("s10", List.of()), JPEG, "x", 9).rejection().reason());
    }
}
