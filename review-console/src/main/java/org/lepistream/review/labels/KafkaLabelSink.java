package org.lepistream.review.labels;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.serde.AvroSerdes;

/** Writes labels to expert-labels (key = sightingId), acknowledged by all in-sync replicas, without duplicates. */
public final class KafkaLabelSink implements LabelSink, AutoCloseable {

    private final String topic;
    private final KafkaProducer<String, ExpertLabel> producer;

    public KafkaLabelSink(Map<String, Object> clientConfig, String topic) {
        this.topic = topic;
        Properties p = new Properties();
        clientConfig.forEach((k, v) -> {
            if (!k.startsWith("schema.registry.") && !k.startsWith("basic.auth.")) {
                p.put(k, v);
            }
        });
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(p, new StringSerializer(),
                AvroSerdes.specific(ExpertLabel.class, clientConfig).serializer());
    }

    @Override
    public void send(ExpertLabel label) {
        try {
            producer.send(new ProducerRecord<>(topic, label.getSightingId(), label)).get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the label", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the label was not written to " + topic + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
