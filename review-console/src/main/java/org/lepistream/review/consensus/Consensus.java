package org.lepistream.review.consensus;

import java.util.List;
import java.util.Optional;
import org.lepistream.review.queue.QueueItem;
import org.lepistream.review.taxonomy.TaxonomyIndex;
import org.lepistream.schemas.ExpertLabel;

/** Turns verdicts into labels under a {@link ConsensusPolicy}: at once, or when two reviewers agree. */
public final class Consensus {

    /**
     * What a verdict led to: a label to send now, or an opinion waiting for agreement ({@code again}: the reviewer had
     * given one already, and nothing changed).
     */
    public record Step(ExpertLabel label, Opinion waiting, boolean again) {
        public boolean isLabel() {
            return label != null;
        }
    }

    private final ConsensusPolicy policy;
    private final Opinions opinions;
    private final TaxonomyIndex taxonomy;

    public Consensus(ConsensusPolicy policy, Opinions opinions, TaxonomyIndex taxonomy) {
        this.policy = policy;
        this.opinions = opinions;
        this.taxonomy = taxonomy;
    }

    public static Consensus off(TaxonomyIndex taxonomy) {
        return new Consensus(ConsensusPolicy.OFF, new Opinions(Optional.empty()), taxonomy);
    }

    public Opinions opinions() {
        return opinions;
    }

    /**
     * Called with the label lock held. Once a sighting has an opinion, every later verdict on it needs one to agree
     * with: a reviewer who disagrees adds a second opinion, and the first two that agree make the label.
     */
    public Step take(QueueItem item, ExpertLabel verdict) {
        String id = item.sightingId();
        List<Opinion> earlier = opinions.of(id);
        if (earlier.isEmpty() && !policy.needsSecond(item, verdict, taxonomy)) {
            return new Step(verdict, null, false);
        }
        Optional<Opinion> mine = opinions.from(id, verdict.getReviewerId());
        if (mine.isPresent()) {
            return new Step(null, mine.get(), true);
        }
        Optional<Opinion> agreeing = earlier.stream().filter(o -> o.agrees(verdict)).findFirst();
        if (agreeing.isEmpty()) {
            Opinion opinion = Opinion.of(verdict);
            opinions.add(id, opinion);
            return new Step(null, opinion, false);
        }
        String note = "second opinion, agreeing with " + agreeing.get().reviewerId()
                + (verdict.getNote() == null ? "" : ": " + verdict.getNote());
        return new Step(ExpertLabel.newBuilder(verdict).setNote(note).build(), null, false);
    }

    /** The label is written: the opinions that led to it are done with. */
    public void settled(String sightingId) {
        opinions.remove(sightingId);
    }
}
