package org.lepistream.review.queue;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.lepistream.schemas.Identification;

/** Counts accepted identifications by overlap and by model version, for the dashboard's comparison with reviews. */
final class AcceptedIntake implements Processor<String, byte[], Void, Void> {

    private final Deserializer<Identification> identifications;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, Long> stats;

    AcceptedIntake(Deserializer<Identification> identifications) {
        this.identifications = identifications;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        stats = context.getStateStore(ReviewQueue.ACCEPTED_STATS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Identification id;
        try {
            id = record.value() == null ? null : identifications.deserialize(
                    context.recordMetadata().map(m -> m.topic()).orElse(""), record.value());
        } catch (RuntimeException e) {
            id = null; // the identification service's own problem: its consumers report it; here it is only counted
        }
        if (id == null) {
            Stats.add(stats, Stats.UNDECODABLE_IDENTIFICATIONS, 1);
            return;
        }
        Stats.add(stats, Stats.overlapBucket(Stats.ACCEPTED_OVERLAP, id.getOverlap()), 1);
        Stats.add(stats, Stats.MODEL_ACCEPTED + id.getModelVersion(), 1);
        Stats.max(stats, Stats.MODEL_LAST_SEEN + id.getModelVersion(), id.getProcessedAt().toEpochMilli());
    }
}
