package org.lepistream.review.labels;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lepistream.review.claims.Claims;
import org.lepistream.review.consensus.Consensus;
import org.lepistream.review.consensus.Opinion;
import org.lepistream.review.consensus.Opinions;
import org.lepistream.review.queue.Outcome;
import org.lepistream.review.queue.QueueItem;
import org.lepistream.review.queue.ReviewQueue;
import org.lepistream.review.taxonomy.TaxonomyIndex;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.Verdict;

/**
 * Decides whether a submitted decision becomes an ExpertLabel: exactly one label per sighting, however often the
 * form is submitted or retried, only for a queued sighting, only by the reviewer holding its claim, only with a
 * taxon that exists at the given rank, and, where the consensus policy asks, only once a second reviewer agrees.
 */
public final class LabelDesk {

    /** What became of a submission. */
    public enum Status { RECORDED, ALREADY_LABELLED, CLAIMED_BY_OTHER, NOT_QUEUED, AWAITING_SECOND }

    /** The outcome and the label in force for the sighting (the new one, or the earlier one for a duplicate). */
    public record Result(Status status, String sightingId, String reviewerId, String verdict, String taxon,
            String rank) {
    }

    private final ReviewQueue queue;
    private final Claims claims;
    private final TaxonomyIndex taxonomy;
    private final LabelSink sink;
    private final Clock clock;
    private final Consensus consensus;
    // Labels sent but perhaps not yet seen by the queue's stream: the window a double-click falls into.
    private final Map<String, ExpertLabel> sent = new ConcurrentHashMap<>();

    public LabelDesk(ReviewQueue queue, Claims claims, TaxonomyIndex taxonomy, LabelSink sink, Clock clock) {
        this(queue, claims, taxonomy, sink, clock, Consensus.off(taxonomy));
    }

    public LabelDesk(ReviewQueue queue, Claims claims, TaxonomyIndex taxonomy, LabelSink sink, Clock clock,
            Consensus consensus) {
        this.consensus = consensus;
        this.queue = queue;
        this.claims = claims;
        this.taxonomy = taxonomy;
        this.sink = sink;
        this.clock = clock;
    }

    /**
     * Records a decision. Serialised: submissions are human-paced, and one lock makes "check, then send" atomic.
     *
     * @throws IllegalArgumentException when the taxon is not in the taxonomy at that rank
     */
    public synchronized Result submit(String sightingId, String reviewerId, Decision decision) {
        // Forget sent labels the queue has read back (it is the authority for them now): keeps this map tiny.
        sent.keySet().removeIf(id -> !id.equals(sightingId) && queue.outcome(id).isPresent());
        ExpertLabel earlier = sent.get(sightingId);
        if (earlier != null) {
            return result(Status.ALREADY_LABELLED, earlier);
        }
        Optional<Outcome> done = queue.outcome(sightingId);
        if (done.isPresent()) {
            Outcome o = done.get();
            return new Result(Status.ALREADY_LABELLED, sightingId, o.reviewerId(), o.verdict(), o.taxon(), o.rank());
        }
        Optional<QueueItem> item = queue.item(sightingId);
        if (item.isEmpty()) {
            return new Result(Status.NOT_QUEUED, sightingId, null, null, null, null);
        }
        if (claims.heldByOther(sightingId, reviewerId)) {
            var holder = claims.holder(sightingId).orElseThrow();
            return new Result(Status.CLAIMED_BY_OTHER, sightingId, holder.reviewerId(), null, null, null);
        }
        Consensus.Step step = consensus.take(item.get(), toLabel(item.get(), reviewerId, decision));
        if (!step.isLabel()) {
            claims.release(sightingId, reviewerId); // the next reviewer must be someone else
            Opinion o = step.waiting();
            return new Result(Status.AWAITING_SECOND, sightingId, o.reviewerId(), o.verdict(), o.taxon(), o.rank());
        }
        sink.send(step.label());
        consensus.settled(sightingId);
        sent.put(sightingId, step.label());
        claims.release(sightingId, reviewerId);
        return result(Status.RECORDED, step.label());
    }

    /** The opinions given on sightings that wait for a second reviewer. */
    public Opinions opinions() {
        return consensus.opinions();
    }

    /** True when this desk sent a label the queue has not taken in yet (hidden from the queue meanwhile). */
    public boolean recentlyLabelled(String sightingId) {
        if (!sent.containsKey(sightingId)) {
            return false;
        }
        if (queue.outcome(sightingId).isPresent()) {
            sent.remove(sightingId); // the queue has it now: it is the authority again
        }
        return true;
    }

    private ExpertLabel toLabel(QueueItem item, String reviewerId, Decision d) {
        Verdict verdict = d.verdict();
        if (d.taxon() != null) {
            if (taxonomy.find(d.rank(), d.taxon()).isEmpty()) {
                throw new IllegalArgumentException("'" + d.taxon() + "' is not a " + d.rank() + " of the taxonomy");
            }
            // Agreeing with the model's best candidate at that rank confirms it; anything else corrects it.
            verdict = d.taxon().equals(item.top(d.rank())) ? Verdict.CONFIRMED : Verdict.CORRECTED;
        }
        return ExpertLabel.newBuilder().setSightingId(item.sightingId()).setReviewerId(reviewerId)
                .setVerdict(verdict).setTaxon(d.taxon()).setRank(d.rank()).setNote(d.note())
                .setLabelledAt(clock.instant()).setModelVersion(item.modelVersion()).build();
    }

    private static Result result(Status status, ExpertLabel l) {
        return new Result(status, l.getSightingId(), l.getReviewerId(), l.getVerdict().name(), l.getTaxon(),
                l.getRank());
    }
}
