package org.lepistream.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test plumbing: write and read raw records of a {@link LocalStack} at known offsets. */
final class StackRecords {

    private StackRecords() {
    }

    /** Serde config for the stack's registry, plus extra key/value pairs. */
    static Map<String, Object> serdeConfig(LocalStack stack, Object... keyValues) {
        Map<String, Object> config = new HashMap<>(Map.of("schema.registry.url", stack.registryUrl()));
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    static void createTopic(LocalStack stack, String name, int partitions) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    /** Sends one record with acks=all and returns where it landed. */
    static <V> RecordMetadata send(LocalStack stack, String topic, String key, V value, Serializer<V> values) {
        Map<String, Object> props = Map.of("bootstrap.servers", stack.bootstrapServers(), "acks", "all",
                "max.request.size", 16 * 1024 * 1024);
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(props, new StringSerializer(), values)) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    /** Sends raw bytes, bypassing any serde. */
    static RecordMetadata sendRaw(LocalStack stack, String topic, String key, byte[] value) {
        return send(stack, topic, key, value, new ByteArraySerializer());
    }

    /** The record at exactly this partition and offset. */
    static ConsumerRecord<String, byte[]> readAt(LocalStack stack, RecordMetadata where) {
        return readFrom(stack, new TopicPartition(where.topic(), where.partition()), where.offset(), 1).get(0);
    }

    /** {@code count} records of one partition starting at {@code offset}; fails after 30 s without them. */
    static List<ConsumerRecord<String, byte[]>> readFrom(LocalStack stack, TopicPartition partition, long offset,
                                                         int count) {
        Map<String, Object> props = Map.of("bootstrap.servers", stack.bootstrapServers(), "enable.auto.commit", false,
                "max.partition.fetch.bytes", 16 * 1024 * 1024);
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(found::add);
            }
        }
        if (found.size() < count) {
            throw new AssertionError("expected " + count + " records in " + partition + " from offset " + offset
                    + ", found " + found.size());
        }
        return found.subList(0, count);
    }

    /** Avro binary of a specific record, for comparing records field by field (logical types included). */
    static byte[] encoded(SpecificRecord record) {
        SpecificDatumWriter<Object> writer = new SpecificDatumWriter<>(record.getSchema(),
                SpecificData.getForSchema(record.getSchema()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
