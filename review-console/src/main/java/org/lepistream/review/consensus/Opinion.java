package org.lepistream.review.consensus;

import java.util.Objects;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.Verdict;

/** One reviewer's verdict on a sighting that needs a second: not a label yet. */
public record Opinion(String reviewerId, String verdict, String taxon, String rank, String note, long atMillis) {

    static Opinion of(ExpertLabel label) {
        return new Opinion(label.getReviewerId(), label.getVerdict().name(), label.getTaxon(), label.getRank(),
                label.getNote(), label.getLabelledAt().toEpochMilli());
    }

    /**
     * Two verdicts agree when they name the same taxon at the same rank (confirming or correcting the model is the
     * same answer then), or, without a taxon, give the same verdict.
     */
    public boolean agrees(ExpertLabel other) {
        if (taxon != null || other.getTaxon() != null) {
            return Objects.equals(taxon, other.getTaxon()) && Objects.equals(rank, other.getRank());
        }
        return verdict.equals(other.getVerdict().name()) && other.getVerdict() != Verdict.CONFIRMED;
    }
}
