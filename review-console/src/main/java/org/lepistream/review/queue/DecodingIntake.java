package org.lepistream.review.queue;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queue step that reads raw Avro bytes itself, so that an undecodable record is counted (and the stream goes on)
 * instead of failing the whole console through a deserialisation handler.
 */
abstract class DecodingIntake<T> implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(DecodingIntake.class);

    private final Deserializer<T> deserializer;
    private final String what;
    protected ProcessorContext<Void, Void> context;

    /** @param what how a log line names the record ("expert label"), or null to count failures silently */
    DecodingIntake(Deserializer<T> deserializer, String what) {
        this.deserializer = deserializer;
        this.what = what;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
    }

    @Override
    public final void process(Record<String, byte[]> record) {
        T value;
        try {
            value = record.value() == null ? null : deserializer.deserialize(
                    context.recordMetadata().map(m -> m.topic()).orElse(""), record.value());
        } catch (RuntimeException e) {
            value = null;
            if (what != null) {
                LOG.warn("undecodable {} at {}: {}", what, context.recordMetadata()
                        .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"), e.getMessage());
            }
        }
        if (value == null) {
            undecodable();
        } else {
            accept(value, record.value());
        }
    }

    /** A record that is empty or not a T. */
    abstract void undecodable();

    /** A decoded record and its raw bytes. */
    abstract void accept(T value, byte[] raw);
}
