package org.lepistream.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lepistream.schemas.DeadLetter;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.serde.AvroSerdes;

/** Plain Kafka clients for integration tests: create topics, send raw or Avro values, read outputs back. */
public final class StackClients implements AutoCloseable {

    /** Everything the service wrote, per output topic. */
    public record Outputs(List<ConsumerRecord<String, Identification>> identified,
            List<ConsumerRecord<String, ReviewRequest>> review, List<ConsumerRecord<String, DeadLetter>> deadLetters) {
        public int total() {
            return identified.size() + review.size() + deadLetters.size();
        }

        /** Every output key, in any order. */
        public List<String> keys() {
            List<String> keys = new ArrayList<>();
            identified.forEach(r -> keys.add(r.key()));
            review.forEach(r -> keys.add(r.key()));
            deadLetters.forEach(r -> keys.add(r.key()));
            return keys;
        }

        /** The identifications carried by both decision topics. */
        public List<Identification> identifications() {
            List<Identification> all = new ArrayList<>();
            identified.forEach(r -> all.add(r.value()));
            review.forEach(r -> all.add(r.value().getIdentification()));
            return all;
        }
    }

    private final Map<String, Object> config;
    private final KafkaProducer<String, byte[]> producer;

    public StackClients(Map<String, Object> clientConfig) {
        this.config = new HashMap<>(clientConfig);
        Properties p = new Properties();
        p.putAll(config);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public void createTopics(List<NewTopic> topics) throws Exception {
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(topics).all().get();
        }
    }

    /** Serializes an Avro record as written to {@code subjectTopic} (whose subject gets the schema). */
    /** Bytes the broker holds for a topic, over all its partitions (what was written to it, before any cleaning). */
    public long topicBytes(String topic) throws Exception {
        return topicBytes(topic::equals).getOrDefault(topic, 0L);
    }

    /** Bytes the broker holds per topic, for the topics whose name passes {@code which}. */
    public Map<String, Long> topicBytes(Predicate<String> which) throws Exception {
        try (Admin admin = Admin.create(config)) {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
            Map<String, Long> bytes = new java.util.TreeMap<>();
            admin.describeLogDirs(brokers).allDescriptions().get().values().stream()
                    .flatMap(dir -> dir.values().stream())
                    .flatMap(d -> d.replicaInfos().entrySet().stream())
                    .filter(e -> which.test(e.getKey().topic()))
                    .forEach(e -> bytes.merge(e.getKey().topic(), e.getValue().size(), Long::sum));
            return bytes;
        }
    }

    public <T extends SpecificRecord> byte[] avro(Class<T> type, String subjectTopic, T value) {
        return AvroSerdes.specific(type, config).serializer().serialize(subjectTopic, value);
    }

    public void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("send to " + topic + " failed", e);
        }
    }

    public void sendAsync(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    public void flush() {
        producer.flush();
    }

    /** A consumer of the three output topics, committed records only, from the beginning of every partition. */
    public static KafkaConsumer<String, byte[]> outputReader(Map<String, Object> config, StreamsTopics topics) {
        Map<String, Object> props = new HashMap<>(config);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String t : topics.outputs()) {
            for (PartitionInfo pi : consumer.partitionsFor(t)) {
                partitions.add(new TopicPartition(t, pi.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /**
     * Reads the three output topics (committed records only) until {@code done} holds, then keeps reading for
     * {@code settle} so that any extra (duplicate) output would be seen too.
     */
    public Outputs awaitOutputs(StreamsTopics topics, Predicate<Outputs> done, Duration timeout, Duration settle) {
        Deserializer<Identification> ids = AvroSerdes.specific(Identification.class, config).deserializer();
        Deserializer<ReviewRequest> reviews = AvroSerdes.specific(ReviewRequest.class, config).deserializer();
        Deserializer<DeadLetter> letters = AvroSerdes.specific(DeadLetter.class, config).deserializer();
        Outputs out = new Outputs(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (KafkaConsumer<String, byte[]> consumer = outputReader(config, topics)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.identifications())) {
                        out.identified().add(copy(r, ids.deserialize(r.topic(), r.value())));
                    } else if (r.topic().equals(topics.review())) {
                        out.review().add(copy(r, reviews.deserialize(r.topic(), r.value())));
                    } else {
                        out.deadLetters().add(copy(r, letters.deserialize(r.topic(), r.value())));
                    }
                }
                if (settleUntil == Long.MAX_VALUE && done.test(out)) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return out;
    }

    private static <V> ConsumerRecord<String, V> copy(ConsumerRecord<String, byte[]> r, V value) {
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), value);
    }

    @Override
    public void close() {
        producer.close();
    }
}
