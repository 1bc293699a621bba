package org.lepistream.trainer.release;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.lepistream.schemas.ModelRelease;
import org.lepistream.schemas.serde.AvroSerdes;

/** Writes ModelRelease records (key = model name) and reads back the latest one of a model. */
public final class Publisher implements AutoCloseable {
    private final Map<String, Object> clientConfig;
    private final String topic;
    private final KafkaProducer<String, ModelRelease> producer;

    public Publisher(Map<String, Object> clientConfig, String topic) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.topic = topic;
        Map<String, Object> p = new HashMap<>(clientConfig);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(p, new StringSerializer(),
                AvroSerdes.specific(ModelRelease.class, clientConfig).serializer());
    }

    /** Publishes and waits for the broker's acknowledgement. */
    public void publish(ModelRelease release) {
        try {
            producer.send(new ProducerRecord<>(topic, release.getModelName(), release)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing release " + release.getVersion(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish release " + release.getVersion() + " to " + topic + ": "
                    + e.getCause(), e.getCause());
        }
    }

    /** The last release of a model on the topic (read from the start to the current end). */
    public Optional<ModelRelease> latest(String modelName) {
        Map<String, Object> p = new HashMap<>(clientConfig);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Deserializer<ModelRelease> releases = AvroSerdes.specific(ModelRelease.class, clientConfig).deserializer();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(topic,
                    i.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            ModelRelease last = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
                    && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        ModelRelease m = releases.deserialize(r.topic(), r.value());
                        if (modelName.equals(m.getModelName())) {
                            last = m;
                        }
                    } catch (RuntimeException e) {
                        // Not ours to judge: the service logs undecodable releases; the trainer skips them.
                    }
                }
            }
            return Optional.ofNullable(last);
        }
    }

    /** A release record for a gated bundle. */
    public static ModelRelease record(String modelName, TrainerState.PendingRelease p) {
        return ModelRelease.newBuilder().setModelName(modelName).setVersion(p.version())
                .setBundleUri(java.nio.file.Path.of(p.bundle()).toUri().toString()).setMetrics(p.metrics())
                .setThresholds(p.thresholds()).setPolicy(PolicyRecords.of(p.thresholds())).setCreatedAt(Instant.ofEpochMilli(p.createdAt()))
                .setParentVersion(p.parentVersion()).build();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
