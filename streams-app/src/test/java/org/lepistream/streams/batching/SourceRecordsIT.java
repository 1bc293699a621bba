package org.lepistream.streams.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;

/** The batching buffer's references read back from a real broker, including records retention has deleted. */
@ExtendWith(LocalStackExtension.class)
class SourceRecordsIT {

    @Test
    void readsTheRecordsAtTheBufferedOffsetsAndReportsDeletedOnesAsMissing(LocalStack stack) throws Exception {
        String topic = "source-records-" + System.nanoTime();
        Map<String, Object> config = stack.clientConfig();
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    stack.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 6; i++) {
                    producer.send(new ProducerRecord<>(topic, 1, null, ("photo-" + i).getBytes(StandardCharsets.UTF_8)))
                            .get();
                }
            }
            SourceRecords.Reader reader = SourceRecords.kafka(config, 1 << 20, Duration.ofSeconds(30));
            Map<Long, byte[]> found = reader.read(topic, 1, new TreeSet<>(Set.of(1L, 4L, 5L)));
            assertEquals(Set.of(1L, 4L, 5L), found.keySet());
            assertArrayEquals("photo-4".getBytes(StandardCharsets.UTF_8), found.get(4L));

            // As retention would after a long outage: records below offset 3 are gone.
            admin.deleteRecords(Map.of(new TopicPartition(topic, 1), RecordsToDelete.beforeOffset(3))).all().get();
            found = reader.read(topic, 1, new TreeSet<>(Set.of(1L, 4L)));
            assertEquals(Set.of(4L), found.keySet(), "offset 1 was deleted: reported missing, not waited for");
            assertEquals(Map.of(), reader.read(topic, 0, new TreeSet<>()));
        }
    }
}
