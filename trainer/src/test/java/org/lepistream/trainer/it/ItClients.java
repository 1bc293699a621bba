package org.lepistream.trainer.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lepistream.schemas.serde.AvroSerdes;

/** Avro in and out of the real stack for the trainer's integration tests. */
final class ItClients implements AutoCloseable {
    private final Map<String, Object> config;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<Class<?>, org.apache.kafka.common.serialization.Serializer<?>> serializers = new HashMap<>();

    ItClients(Map<String, Object> config) {
        this.config = Map.copyOf(config);
        Map<String, Object> p = new HashMap<>(config);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @SuppressWarnings("unchecked")
    <T extends SpecificRecord> void send(String topic, String key, Class<T> type, T value) {
        // One serializer per type: each caches its registered schema id.
        var serializer = (org.apache.kafka.common.serialization.Serializer<T>) serializers.computeIfAbsent(type,
                t -> AvroSerdes.specific(type, config).serializer());
        producer.send(new ProducerRecord<>(topic, key, serializer.serialize(topic, value)));
    }

    void sendRaw(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    void flush() {
        producer.flush();
    }

    /** Every committed record of a topic, decoded, read until {@code done} holds or the timeout passes. */
    <T extends SpecificRecord> List<ConsumerRecord<String, T>> readUntil(String topic, Class<T> type,
            Predicate<List<ConsumerRecord<String, T>>> done, Duration timeout) {
        Map<String, Object> c = new HashMap<>(config);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        var deserializer = AvroSerdes.specific(type, config).deserializer();
        List<ConsumerRecord<String, T>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    T v = deserializer.deserialize(r.topic(), r.value());
                    out.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), v));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
