package org.lepistream.review.queue;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.lepistream.schemas.ReviewRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adds each review request to the queue unless the sighting was already labelled (or is already queued). */
final class RequestIntake implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(RequestIntake.class);

    private final Deserializer<ReviewRequest> requests;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> raw;
    private KeyValueStore<String, byte[]> index;
    private KeyValueStore<String, byte[]> outcomes;
    private KeyValueStore<String, Long> stats;

    RequestIntake(Deserializer<ReviewRequest> requests) {
        this.requests = requests;
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
        ReviewRequest request;
        try {
            request = record.value() == null ? null : requests.deserialize(topic(), record.value());
        } catch (RuntimeException e) {
            request = null;
            LOG.warn("undecodable review request at {}: {} (left on the topic, not queued)", where(), e.getMessage());
        }
        if (request == null) {
            Stats.add(stats, Stats.UNDECODABLE_REQUESTS, 1);
            return;
        }
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
            raw.put(id, record.value());
            index.put(id, JsonCodec.write(item));
        }
        Stats.add(stats, Stats.overlapBucket(Stats.REVIEW_OVERLAP, item.overlap()), 1);
        Stats.add(stats, Stats.MODEL_REVIEW + item.modelVersion(), 1);
        Stats.max(stats, Stats.MODEL_LAST_SEEN + item.modelVersion(), item.routedAt());
    }

    private String topic() {
        return context.recordMetadata().map(m -> m.topic()).orElse("");
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    }
}
