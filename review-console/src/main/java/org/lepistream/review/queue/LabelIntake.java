package org.lepistream.review.queue;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.lepistream.schemas.ExpertLabel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Takes a labelled sighting off the queue and records the outcome (first label wins; later ones are counted). */
final class LabelIntake implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(LabelIntake.class);

    private final Deserializer<ExpertLabel> labels;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> raw;
    private KeyValueStore<String, byte[]> index;
    private KeyValueStore<String, byte[]> outcomes;
    private KeyValueStore<String, Long> stats;

    LabelIntake(Deserializer<ExpertLabel> labels) {
        this.labels = labels;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        raw = context.getStateStore(ReviewQueue.REQUESTS);
        index = context.getStateStore(ReviewQueue.INDEX);
        outcomes = context.getStateStore(ReviewQueue.OUTCOMES);
        stats = context.getStateStore(ReviewQueue.REVIEW_STATS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        ExpertLabel label;
        try {
            label = record.value() == null ? null : labels.deserialize(
                    context.recordMetadata().map(m -> m.topic()).orElse(""), record.value());
        } catch (RuntimeException e) {
            label = null;
            LOG.warn("undecodable expert label at {}: {}", context.recordMetadata()
                    .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"), e.getMessage());
        }
        if (label == null) {
            Stats.add(stats, Stats.UNDECODABLE_LABELS, 1);
            return;
        }
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
