package org.lepistream.review.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.review.Fixtures;
import org.lepistream.review.queue.QueueItem;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.Verdict;

class ConsensusTest {

    /** The model said Vanessa cardui with the given confidence. */
    private static QueueItem item(String id, double confidence) {
        QueueItem i = QueueItem.of(Fixtures.request(id, "Vanessa cardui", ReviewReason.LOW_CONFIDENCE, 0.5, "v1",
                Instant.now(), null));
        return new QueueItem(i.sightingId(), i.modelVersion(), i.reasons(), i.top(), i.decidedRank(),
                i.decidedTaxon(), confidence, i.overlap(), i.routedAt(), i.observedAt(), i.hasImage());
    }

    private static ExpertLabel verdict(String id, String reviewer, Verdict v, String taxon, String rank) {
        return ExpertLabel.newBuilder().setSightingId(id).setReviewerId(reviewer).setVerdict(v).setTaxon(taxon)
                .setRank(rank).setLabelledAt(Instant.now()).setModelVersion("v1").build();
    }

    @Test
    void overrulingAConfidentModelOrNamingARareTaxonNeedsASecondOpinion() {
        ConsensusPolicy p = new ConsensusPolicy(0.9, Set.of("Pieris"));
        var tax = Fixtures.TAXONOMY;
        assertTrue(p.needsSecond(item("a", 0.95), verdict("a", "x", Verdict.CORRECTED, "Vanessa atalanta",
                "species"), tax));
        assertTrue(p.needsSecond(item("a", 0.95), verdict("a", "x", Verdict.NOT_A_BUTTERFLY, null, null), tax));
        assertFalse(p.needsSecond(item("a", 0.85), verdict("a", "x", Verdict.CORRECTED, "Vanessa atalanta",
                "species"), tax), "a model below 0.9 may be overruled by one expert");
        assertFalse(p.needsSecond(item("a", 0.95), verdict("a", "x", Verdict.CONFIRMED, "Vanessa cardui", "species"),
                tax), "agreeing with the model is not overruling it");
        assertFalse(p.needsSecond(item("a", 0.95), verdict("a", "x", Verdict.UNIDENTIFIABLE, null, null), tax));
        assertTrue(p.needsSecond(item("a", 0.1), verdict("a", "x", Verdict.CORRECTED, "Pieris rapae", "species"),
                tax), "a species of a rare genus");
        assertTrue(p.needsSecond(item("a", 0.1), verdict("a", "x", Verdict.CORRECTED, "Pieris", "genus"), tax));
        assertTrue(ConsensusPolicy.OFF.isOff());
        assertFalse(ConsensusPolicy.OFF.needsSecond(item("a", 1.0), verdict("a", "x", Verdict.NOT_A_BUTTERFLY,
                null, null), tax));
    }

    @Test
    void theFirstTwoAgreeingVerdictsMakeTheLabelAndAReviewerCountsOnce(@TempDir Path dir) {
        Path file = dir.resolve("opinions.json");
        Consensus c = new Consensus(new ConsensusPolicy(0.9, Set.of()), new Opinions(Optional.of(file)),
                Fixtures.TAXONOMY);
        QueueItem s = item("s", 0.97);
        Consensus.Step a = c.take(s, verdict("s", "alice", Verdict.CORRECTED, "Vanessa atalanta", "species"));
        assertFalse(a.isLabel());
        assertEquals("alice", a.waiting().reviewerId());
        Consensus.Step again = c.take(s, verdict("s", "alice", Verdict.CORRECTED, "Danaus plexippus", "species"));
        assertTrue(again.again() && !again.isLabel(), "alice cannot be her own second opinion, nor change hers");
        // A restarted console finds both opinions it had.
        c = new Consensus(new ConsensusPolicy(0.9, Set.of()), new Opinions(Optional.of(file)), Fixtures.TAXONOMY);
        Consensus.Step bob = c.take(s, verdict("s", "bob", Verdict.CONFIRMED, "Vanessa cardui", "species"));
        assertFalse(bob.isLabel(), "bob disagrees with alice: a third reviewer decides");
        assertEquals(2, c.opinions().of("s").size());
        Consensus.Step carol = c.take(s, verdict("s", "carol", Verdict.CORRECTED, "Vanessa atalanta", "species"));
        assertTrue(carol.isLabel());
        assertEquals("carol", carol.label().getReviewerId());
        assertEquals("Vanessa atalanta", carol.label().getTaxon());
        assertTrue(carol.label().getNote().contains("agreeing with alice"), carol.label().getNote());
        c.settled("s");
        assertTrue(new Opinions(Optional.of(file)).of("s").isEmpty(), "settled opinions are gone from the file");
    }

    @Test
    void verdictsWithoutATaxonAgreeOnTheVerdict() {
        Opinion notButterfly = new Opinion("a", "NOT_A_BUTTERFLY", null, null, null, 0);
        assertTrue(notButterfly.agrees(verdict("s", "b", Verdict.NOT_A_BUTTERFLY, null, null)));
        assertFalse(notButterfly.agrees(verdict("s", "b", Verdict.UNIDENTIFIABLE, null, null)));
        Opinion genus = new Opinion("a", "CORRECTED", "Vanessa", "genus", null, 0);
        assertTrue(genus.agrees(verdict("s", "b", Verdict.CONFIRMED, "Vanessa", "genus")), "the same answer");
        assertFalse(genus.agrees(verdict("s", "b", Verdict.CONFIRMED, "Vanessa cardui", "species")));
    }

    @Test
    void withPolicyOffAVerdictIsALabelAtOnce() {
        Consensus off = Consensus.off(Fixtures.TAXONOMY);
        Consensus.Step step = off.take(item("s", 1.0), verdict("s", "a", Verdict.NOT_A_BUTTERFLY, null, null));
        assertTrue(step.isLabel());
        assertEquals(null, step.label().getNote());
    }
}
