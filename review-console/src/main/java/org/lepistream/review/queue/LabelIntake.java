package org.lepistream.review.queue;

import org.apache.kafka.common.serialization.Deserializer;
import org.lepistream.schemas.ExpertLabel;

/** Takes a labelled sighting off the queue and records the outcome (first label wins; later ones are counted). */
final class LabelIntake extends QueueIntake<ExpertLabel> {

    LabelIntake(Deserializer<ExpertLabel> labels) {
        super(labels, "expert label");
    }

    @Override
    void undecodable() {
        Stats.add(stats, Stats.UNDECODABLE_LABELS, 1);
    }

    @Override
    void accept(ExpertLabel label, byte[] bytes) {
        String id = label.getSightingId();
        if (outcomes.get(id) != null) {
            Stats.add(stats, Stats.DUPLICATE_LABELS, 1);
            return;
        }
        byte[] indexed = index.get(id);
        QueueItem item = indexed == null ? null : JsonCodec.read(indexed, QueueItem.class);
        outcomes.put(id, JsonCodec.write(Outcome.of(label, item)));
        index.delete(id);
        raw.delete(id);
    }
}
