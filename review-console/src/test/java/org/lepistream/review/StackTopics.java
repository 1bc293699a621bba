package org.lepistream.review;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.serde.AvroSerdes;
import org.lepistream.stack.LocalStack;

/** One test's own topics on the shared local stack, and plain clients to write inputs and read labels back. */
public final class StackTopics implements AutoCloseable {

    public final String review;
    public final String labels;
    public final String identifications;
    private final Map<String, Object> client;
    private final KafkaProducer<String, byte[]> producer;

    public StackTopics(LocalStack stack, String prefix) throws Exception {
        this.client = new HashMap<>(stack.clientConfig());
        this.review = prefix + "-expert-review";
        this.labels = prefix + "-expert-labels";
        this.identifications = prefix + "-identifications";
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(review, 3, (short) 1)
                            .configs(Map.of("max.message.bytes", String.valueOf(8 * 1024 * 1024))),
                    new NewTopic(labels, 3, (short) 1), new NewTopic(identifications, 2, (short) 1))).all().get();
        }
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Console properties pointing at these topics; add the console's own keys to them. */
    public Properties consoleProperties() {
        Properties p = new Properties();
        client.forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.topic.expert-review", review);
        p.setProperty("lepistream.topic.expert-labels", labels);
        p.setProperty("lepistream.topic.identifications", identifications);
        return p;
    }

    public Map<String, Object> clientConfig() {
        return client;
    }

    public <T extends SpecificRecord> void send(String topic, String key, Class<T> type, T value) {
        sendRaw(topic, key, AvroSerdes.specific(type, client).serializer().serialize(topic, value));
    }

    public void sendRaw(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("send to " + topic + " failed", e);
        }
    }

    /** Every label on the labels topic, read for {@code readFor} (long enough to see a duplicate too). */
    public List<ExpertLabel> labels(Duration readFor) {
        var values = AvroSerdes.specific(ExpertLabel.class, client).deserializer();
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ExpertLabel> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(labels).stream()
                    .map(pi -> new TopicPartition(labels, pi.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long end = System.nanoTime() + readFor.toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(values.deserialize(labels, r.value()));
                }
            }
        }
        return out;
    }

    /** Labels for one sighting. */
    public List<ExpertLabel> labelsFor(String sightingId, Duration readFor) {
        return labels(readFor).stream().filter(l -> l.getSightingId().equals(sightingId)).toList();
    }

    @Override
    public void close() {
        producer.close();
    }
}
