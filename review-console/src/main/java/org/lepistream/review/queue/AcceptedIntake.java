package org.lepistream.review.queue;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.lepistream.schemas.Identification;

/** Counts accepted identifications by overlap and by model version, for the dashboard's comparison with reviews. */
final class AcceptedIntake extends DecodingIntake<Identification> {

    private KeyValueStore<String, Long> stats;

    AcceptedIntake(Deserializer<Identification> identifications) {
        // The identification service's own problem if undecodable: its consumers report it; here it is only counted.
        super(identifications, null);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        super.init(context);
        stats = context.getStateStore(ReviewQueue.ACCEPTED_STATS);
    }

    @Override
    void undecodable() {
        Stats.add(stats, Stats.UNDECODABLE_IDENTIFICATIONS, 1);
    }

    @Override
    void accept(Identification id, byte[] bytes) {
        if (!Double.isNaN(id.getOverlap())) { // NaN: accepted by the cascade without a mask, nothing to plot
            Stats.add(stats, Stats.overlapBucket(Stats.ACCEPTED_OVERLAP, id.getOverlap()), 1);
        }
        Stats.add(stats, Stats.MODEL_ACCEPTED + id.getModelVersion(), 1);
        Stats.max(stats, Stats.MODEL_LAST_SEEN + id.getModelVersion(), id.getProcessedAt().toEpochMilli());
    }
}
