package org.lepistream.review.queue;

import org.apache.kafka.common.serialization.Deserializer;
import org.lepistream.schemas.ReviewRequest;

/** Adds each review request to the queue unless the sighting was already labelled (or is already queued). */
final class RequestIntake extends QueueIntake<ReviewRequest> {

    RequestIntake(Deserializer<ReviewRequest> requests) {
        super(requests, "review request (left on the topic, not queued)");
    }

    @Override
    void undecodable() {
        Stats.add(stats, Stats.UNDECODABLE_REQUESTS, 1);
    }

    @Override
    void accept(ReviewRequest request, byte[] bytes) {
        // The record key is the sightingId by contract; the identification inside is the authority if they differ.
        String id = request.getIdentification().getSightingId();
        if (index.get(id) != null) {
            return; // a redelivery of a queued request
        }
        QueueItem item = QueueItem.of(request);
        byte[] labelled = outcomes.get(id);
        if (labelled != null) {
            Outcome o = JsonCodec.read(labelled, Outcome.class);
            if (o.modelTop() != null) {
                return; // a redelivery of a request already labelled
            }
            // The label overtook its request (the two topics are read independently): complete the outcome.
            outcomes.put(id, JsonCodec.write(Outcome.of(o, item)));
        } else {
            raw.put(id, bytes);
            index.put(id, JsonCodec.write(item));
        }
        Stats.add(stats, Stats.overlapBucket(Stats.REVIEW_OVERLAP, item.overlap()), 1);
        Stats.add(stats, Stats.MODEL_REVIEW + item.modelVersion(), 1);
        Stats.max(stats, Stats.MODEL_LAST_SEEN + item.modelVersion(), item.routedAt());
    }
}
