package org.lepistream.review.queue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.RankPrediction;
import org.lepistream.schemas.ReviewRequest;

/**
 * What the queue page and the filters need of one pending review, without its pictures (kept small so listing the
 * queue never decodes photos).
 *
 * @param top       the model's best candidate at each rank, top rank first
 * @param routedAt  when the identification service sent it to review (epoch ms): the item's age counts from here
 */
public record QueueItem(String sightingId, String modelVersion, List<String> reasons, Map<String, String> top,
        String decidedRank, String decidedTaxon, double confidence, double overlap, long routedAt, long observedAt,
        boolean hasImage) {

    public static QueueItem of(ReviewRequest request) {
        Identification id = request.getIdentification();
        Map<String, String> top = new LinkedHashMap<>();
        for (RankPrediction p : id.getPredictions()) {
            if (!p.getCandidates().isEmpty()) {
                top.put(p.getRank(), p.getCandidates().get(0).getTaxon());
            }
        }
        return new QueueItem(id.getSightingId(), id.getModelVersion(),
                id.getReasons().stream().map(Enum::name).toList(), top, id.getDecidedRank(), id.getDecidedTaxon(),
                id.getConfidence(), id.getOverlap(), id.getProcessedAt().toEpochMilli(),
                request.getObservedAt().toEpochMilli(), request.getImage() != null || request.getImageUri() != null);
    }

    /** The model's best candidate at a rank, or "" when it gave none. */
    public String top(String rank) {
        return top == null ? "" : top.getOrDefault(rank, "");
    }
}
