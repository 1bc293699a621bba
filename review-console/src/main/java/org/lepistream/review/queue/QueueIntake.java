package org.lepistream.review.queue;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An intake that changes the queue itself: requests enter it and labels leave it, so both need the same four stores
 * (raw request bytes, the queue index, outcomes and review statistics).
 */
abstract class QueueIntake<T> extends DecodingIntake<T> {

    protected KeyValueStore<String, byte[]> raw;
    protected KeyValueStore<String, byte[]> index;
    protected KeyValueStore<String, byte[]> outcomes;
    protected KeyValueStore<String, Long> stats;

    QueueIntake(Deserializer<T> deserializer, String what) {
        super(deserializer, what);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        super.init(context);
        raw = context.getStateStore(ReviewQueue.REQUESTS);
        index = context.getStateStore(ReviewQueue.INDEX);
        outcomes = context.getStateStore(ReviewQueue.OUTCOMES);
        stats = context.getStateStore(ReviewQueue.REVIEW_STATS);
    }
}
