package org.lepistream.streams.batching;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * Reads back, by offset, the sighting records that the batching buffer refers to. The buffer keeps only where a
 * sighting came from, not its bytes (a photo would otherwise be written to the broker a second time, into the
 * changelog); its bytes are still in {@code sightings}, committed, so after a crash they are read from there again.
 */
public final class SourceRecords {

    /** Re-reads one partition's records at the given offsets. */
    @FunctionalInterface
    public interface Reader {
        /**
         * @return the raw values found; an offset missing from the map is no longer in the topic (retention)
         */
        Map<Long, byte[]> read(String topic, int partition, NavigableSet<Long> offsets);
    }

    private SourceRecords() {}

    /**
     * A reader on its own short-lived consumer (no group: it assigns and seeks), {@code read_committed} like the
     * service, failing after {@code timeout} so that a broker that cannot serve fails the stream thread (which is
     * replaced and tries again) rather than stalling it.
     *
     * @param maxRecordBytes the largest sighting record to expect
     */
    public static Reader kafka(Map<String, Object> clientConfig, int maxRecordBytes, Duration timeout) {
        return (topic, partition, offsets) -> {
            if (offsets.isEmpty()) {
                return Map.of();
            }
            Map<String, Object> c = new HashMap<>(clientConfig);
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            // Below the log start, records are gone: start at the earliest left and report the rest as missing.
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math.max(1 << 20, maxRecordBytes));
            c.remove(ConsumerConfig.GROUP_ID_CONFIG);
            TopicPartition tp = new TopicPartition(topic, partition);
            Map<Long, byte[]> found = new HashMap<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
                consumer.assign(List.of(tp));
                consumer.seek(tp, offsets.first());
                while (consumer.position(tp, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))
                        <= offsets.last()) {
                    if (System.nanoTime() > deadline) {
                        throw new StreamsException("could not re-read " + offsets.size() + " buffered sightings from "
                                + tp + " within " + timeout.toSeconds() + " s");
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (offsets.contains(r.offset())) {
                            found.put(r.offset(), r.value());
                        }
                    }
                }
            } catch (TimeoutException e) {
                throw new StreamsException("could not re-read buffered sightings from " + tp + ": " + e.getMessage(),
                        e);
            }
            return found;
        };
    }
}
