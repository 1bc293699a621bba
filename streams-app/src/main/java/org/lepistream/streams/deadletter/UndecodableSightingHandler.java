package org.lepistream.streams.deadletter;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.lepistream.schemas.DeadLetter;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.schemas.serde.RegistryUnreachableException;
import org.lepistream.schemas.serde.SchemaMismatchException;
import org.lepistream.streams.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a sighting that cannot be deserialized into a dead letter (UNDECODABLE_AVRO, or WRONG_SCHEMA for a
 * well-formed record of another type) written in the same transaction as the skipped offset, so nothing is
 * silently dropped and the stream carries on.
 */
public final class UndecodableSightingHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(UndecodableSightingHandler.class);

    private DeadLetterTarget target;

    @Override
    public void configure(Map<String, ?> configs) {
        target = DeadLetterTarget.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception e) {
        if (causedBy(e, RegistryUnreachableException.class)) {
            // Not the record's fault: dead-lettering would lose good sightings while the registry is down. Failing
            // the thread makes Streams retry from the last commit once it is replaced.
            LOG.error("schema registry unreachable while reading {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return Response.fail();
        }
        Metrics metrics = target.metrics;
        metrics.sightings.inc();
        DeadLetterReason reason = causedBy(e, SchemaMismatchException.class)
                ? DeadLetterReason.WRONG_SCHEMA : DeadLetterReason.UNDECODABLE_AVRO;
        DeadLetter letter = DeadLetters.of(record.topic(), record.partition(), record.offset(), "deserialize", reason,
                describe(e), record.key(), record.value());
        ProducerRecord<byte[], byte[]> deadLetter = target.record(record.key(), letter);
        metrics.deadLetters.inc(reason.name());
        metrics.outputs.inc("dead_letter");
        metrics.throughput.mark(1);
        LOG.warn("dead-lettered {}-{}@{} as {}: {}", record.topic(), record.partition(), record.offset(), reason,
                e.getMessage());
        return Response.resume(List.of(deadLetter));
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null && sb.length() < 1000; t = t.getCause()) {
            sb.append(" <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return sb.toString();
    }
}
