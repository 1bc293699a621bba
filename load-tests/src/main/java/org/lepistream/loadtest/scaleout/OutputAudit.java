package org.lepistream.loadtest.scaleout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the output topics from the beginning (committed records only) and counts results per sighting: the
 * exactly-once check, independent of what the load generator saw live.
 */
public final class OutputAudit {

    /** Results per sighting id, and what is wrong with them against the ids sent. */
    public record Verdict(long records, List<String> missing, List<String> duplicated, List<String> unexpected) {
        public boolean exactlyOnce() {
            return missing.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty();
        }

        @Override
        public String toString() {
            return records + " output records; missing " + missing.size() + sample(missing) + ", duplicated "
                    + duplicated.size() + sample(duplicated) + ", unexpected " + unexpected.size() + sample(unexpected);
        }

        private static String sample(List<String> ids) {
            return ids.isEmpty() ? "" : " " + ids.subList(0, Math.min(5, ids.size()));
        }
    }

    private OutputAudit() {
    }

    /** Counts every committed record of {@code topics} by key and compares with {@code sent}. */
    public static Verdict check(Map<String, Object> kafka, List<String> topics, Collection<String> sent) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Integer> perKey = new HashMap<>();
        long records = 0;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : topics) {
                c.partitionsFor(t, Duration.ofSeconds(30)).forEach(pi -> partitions.add(new TopicPartition(t, pi.partition())));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            // read_committed end offsets are the last stable offsets: reading up to them sees every committed result.
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    records++;
                    perKey.merge(String.valueOf(r.key()), 1, Integer::sum);
                }
            }
        }
        TreeSet<String> expected = new TreeSet<>(sent);
        List<String> missing = expected.stream().filter(id -> !perKey.containsKey(id)).toList();
        List<String> duplicated = perKey.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .sorted().toList();
        List<String> unexpected = perKey.keySet().stream().filter(k -> !expected.contains(k)).sorted().toList();
        return new Verdict(records, missing, duplicated, unexpected);
    }
}
