package org.lepistream.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.TopicSpec;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.serde.AvroDeserializer;
import org.lepistream.schemas.serde.AvroSerializer;
import org.lepistream.schemas.serde.RegistryClient;
import org.lepistream.schemas.serde.WireFormat;

/** A persistent stack keeps records and schemas across a stop and a start on the same folder. */
class StackRestartIT {

    @TempDir
    Path dir;

    @Test
    void recordsAndSchemasSurviveARestart() {
        Sighting sent = Sighting.newBuilder().setSightingId("kept-1").setObserverId("ann")
                .setObservedAt(Instant.parse("2024-07-01T12:00:00Z")).setSource("restart-test").build();
        RecordMetadata where;
        int schemaId;
        try (LocalStack stack = LocalStack.builder().dataDir(dir).start()) {
            AvroSerializer<Sighting> serializer = new AvroSerializer<>();
            serializer.configure(StackRecords.serdeConfig(stack), false);
            where = StackRecords.send(stack, Topics.SIGHTINGS, sent.getSightingId(), sent, serializer);
            schemaId = WireFormat.schemaId(StackRecords.readAt(stack, where).value());

            // Two stacks on one folder would corrupt both: the second is refused, and the first keeps running.
            StackException refused = assertThrows(StackException.class, () -> LocalStack.builder().dataDir(dir).start());
            assertTrue(refused.getMessage().contains("already running on " + dir.toAbsolutePath()), refused.getMessage());
        }
        assertTrue(Files.isDirectory(dir.resolve("kafka")), "data folder kept after stop");

        try (LocalStack restarted = LocalStack.builder().dataDir(dir).start()) {
            ConsumerRecord<String, byte[]> raw = StackRecords.readAt(restarted, where);
            assertEquals(sent.getSightingId(), raw.key());
            assertEquals(schemaId, WireFormat.schemaId(raw.value()));
            // A new client knows nothing: decoding works only if the registry kept the schema under its id.
            RegistryClient registry = new RegistryClient(restarted.registryUrl());
            assertEquals(Topics.ALL.stream().map(TopicSpec::valueSubject).sorted().toList(),
                    registry.subjects().stream().sorted().toList(), "every contract, registered at each start");
            // Registering the contracts again at the restart found the same schema: no second version.
            assertEquals(schemaId, registry.latest(Topics.SIGHTINGS + "-value").id());
            assertEquals(1, registry.latest(Topics.SIGHTINGS + "-value").version());
            AvroDeserializer<Sighting> deserializer = new AvroDeserializer<>(registry, Sighting.class);
            deserializer.configure(StackRecords.serdeConfig(restarted), false);
            assertEquals(sent, deserializer.deserialize(Topics.SIGHTINGS, raw.value()));
        }
    }
}
