package org.lepistream.review.queue;

import java.util.List;
import java.util.Map;
import org.lepistream.schemas.ExpertLabel;

/**
 * A labelled sighting as the dashboard sees it: the expert's verdict next to what the model had said (null fields
 * when the label arrived for a sighting this console never queued).
 */
public record Outcome(String sightingId, String reviewerId, String verdict, String taxon, String rank,
        long labelledAt, String modelVersion, Map<String, String> modelTop, Double overlap, List<String> reasons) {

    public static Outcome of(ExpertLabel label, QueueItem item) {
        return new Outcome(label.getSightingId(), label.getReviewerId(), label.getVerdict().name(), label.getTaxon(),
                label.getRank(), label.getLabelledAt().toEpochMilli(),
                label.getModelVersion() != null ? label.getModelVersion() : item == null ? null : item.modelVersion(),
                item == null ? null : item.top(), item == null ? null : item.overlap(),
                item == null ? List.of() : item.reasons());
    }

    /** This outcome completed with the request it labels (when the label was read before its request). */
    public static Outcome of(Outcome o, QueueItem item) {
        return new Outcome(o.sightingId(), o.reviewerId(), o.verdict(), o.taxon(), o.rank(), o.labelledAt(),
                o.modelVersion() != null ? o.modelVersion() : item.modelVersion(), item.top(), item.overlap(),
                item.reasons());
    }
}
