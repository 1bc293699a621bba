package org.lepistream.streams.deadletter;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.lepistream.schemas.DeadLetter;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.serde.AvroSerdes;
import org.lepistream.streams.ServiceConfig;
import org.lepistream.streams.ops.Metrics;

/**
 * Where the Streams error handlers send dead letters, read from the handler config: Kafka instantiates handlers by
 * class name, so the DLQ topic and the service's Metrics can only reach them through that map.
 */
final class DeadLetterTarget {
    final Metrics metrics;
    private final String topic;
    private final Serializer<DeadLetter> serializer;

    private DeadLetterTarget(Metrics metrics, String topic, Serializer<DeadLetter> serializer) {
        this.metrics = metrics;
        this.topic = topic;
        this.serializer = serializer;
    }

    static DeadLetterTarget from(Map<String, ?> configs) {
        Metrics metrics = configs.get(Metrics.CONFIG_KEY) instanceof Metrics m ? m : new Metrics();
        Object topic = configs.get(ServiceConfig.PREFIX + "topic.sightings-dlq");
        return new DeadLetterTarget(metrics, topic == null ? Topics.SIGHTINGS_DLQ : topic.toString(),
                AvroSerdes.specific(DeadLetter.class, configs).serializer());
    }

    /** The serialized dead letter, keyed like the original record, ready for the handler's response. */
    ProducerRecord<byte[], byte[]> record(byte[] key, DeadLetter letter) {
        return new ProducerRecord<>(topic, null, key, serializer.serialize(topic, letter));
    }
}
