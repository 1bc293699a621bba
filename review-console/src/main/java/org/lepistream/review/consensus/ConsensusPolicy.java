package org.lepistream.review.consensus;

import java.util.Set;
import org.lepistream.review.queue.QueueItem;
import org.lepistream.review.taxonomy.TaxonomyIndex;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.Verdict;

/**
 * When one expert's verdict is not enough, as recording schemes require agreement (eButterfly: two or more experts;
 * iNaturalist: two thirds of identifiers): a verdict that overrules a model at least {@code overruleFrom} confident
 * (a correction, or "not a butterfly"), or that names a taxon on the rare list or one below it, becomes a label only
 * when a second reviewer, who does not see the first verdict, agrees.
 *
 * @param overruleFrom the model confidence from which overruling it needs a second opinion (above 1: never)
 * @param rareTaxa     taxa whose every label needs a second opinion
 */
public record ConsensusPolicy(double overruleFrom, Set<String> rareTaxa) {

    /** Every verdict is a label at once. */
    public static final ConsensusPolicy OFF = new ConsensusPolicy(2, Set.of());

    public ConsensusPolicy {
        rareTaxa = Set.copyOf(rareTaxa);
    }

    public boolean isOff() {
        return overruleFrom > 1 && rareTaxa.isEmpty();
    }

    /** Whether this verdict on this item waits for a second reviewer. */
    public boolean needsSecond(QueueItem item, ExpertLabel verdict, TaxonomyIndex taxonomy) {
        boolean overrules = verdict.getVerdict() == Verdict.CORRECTED || verdict.getVerdict() == Verdict.NOT_A_BUTTERFLY;
        if (overrules && item.confidence() >= overruleFrom) {
            return true;
        }
        if (verdict.getTaxon() == null || rareTaxa.isEmpty()) {
            return false;
        }
        return taxonomy.find(verdict.getRank(), verdict.getTaxon())
                .map(t -> t.lineage().values().stream().anyMatch(rareTaxa::contains))
                .orElse(rareTaxa.contains(verdict.getTaxon()));
    }
}
