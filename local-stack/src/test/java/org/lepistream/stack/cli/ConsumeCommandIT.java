package org.lepistream.stack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.serde.AvroSerializer;
import org.lepistream.stack.FreePorts;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;

/** {@code lepistream consume} against the real stack: JSON lines, per-record errors, clear failures. */
@ExtendWith(LocalStackExtension.class)
class ConsumeCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void undecodableRecordIsReportedWithItsOffsetAndConsumptionGoesOn(LocalStack stack) throws Exception {
        String topic = "consume-" + UUID.randomUUID();
        List<RecordMetadata> written = writeSightingRawSighting(stack, topic);

        CliRun run = CliRun.of("consume", "--topic", topic, "--from-beginning", "--max", "3",
                "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of("first", "third"), run.outLines().stream()
                .map(line -> parse(line).get("sightingId").asText()).toList());
        JsonNode firstJson = parse(run.outLines().get(0));
        assertEquals("2024-06-01T10:00:00Z", firstJson.get("observedAt").asText());
        assertEquals(5, firstJson.get("image").get("$bytes").asInt(), "bytes are summarised, not dumped");
        List<String> errors = run.errLines().stream().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), run.err());
        String expectedPrefix = "error: " + topic + " partition 0 offset " + written.get(1).offset() + ": ";
        assertTrue(errors.get(0).startsWith(expectedPrefix), errors.get(0));
        assertTrue(errors.get(0).toLowerCase().contains("magic byte"), errors.get(0));
    }

    @Test
    void idleTimeoutEndsAnOpenEndedReadAndMetadataCanBeShown(LocalStack stack) throws Exception {
        String topic = "consume-" + UUID.randomUUID();
        List<RecordMetadata> written = writeSightingRawSighting(stack, topic);

        CliRun run = CliRun.of("consume", "--topic", topic, "--from-beginning", "--idle-timeout", "2",
                "--with-metadata", "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(2, run.outLines().size(), run.out());
        JsonNode last = parse(run.outLines().get(1));
        assertEquals(written.get(2).offset(), last.get("offset").asLong());
        assertEquals(0, last.get("partition").asInt());
        assertEquals("key-third", last.get("key").asText());
        assertEquals("third", last.get("value").get("sightingId").asText());
        assertTrue(run.err().contains("consumed 3 records (1 undecodable)"), run.err());
    }

    @Test
    void unreachableRegistryIsOneClearErrorLine(LocalStack stack) {
        String registry = "http://127.0.0.1:" + FreePorts.any() + "/apis/ccompat/v7";

        CliRun run = CliRun.of("consume", "--topic", "sightings", "--from-beginning", "--max", "1",
                "--bootstrap", stack.bootstrapServers(), "--registry", registry);

        assertEquals(1, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.errLines().get(0).startsWith("error: Schema registry unreachable at " + registry),
                run.err());
        assertEquals("", run.out());
    }

    @Test
    void unreachableBrokerAndUnknownTopicAreOneClearErrorLineEach(LocalStack stack) {
        String broker = "127.0.0.1:" + FreePorts.any();
        CliRun noBroker = CliRun.of("consume", "--topic", "sightings", "--bootstrap", broker,
                "--registry", stack.registryUrl());
        assertEquals(1, noBroker.exitCode());
        assertEquals(1, noBroker.errLines().size(), noBroker.err());
        assertTrue(noBroker.errLines().get(0).startsWith("error: cannot reach Kafka at " + broker), noBroker.err());

        CliRun noTopic = CliRun.of("consume", "--topic", "no-such-topic", "--bootstrap", stack.bootstrapServers(),
                "--registry", stack.registryUrl());
        assertEquals(1, noTopic.exitCode());
        assertEquals(1, noTopic.errLines().size(), noTopic.err());
        assertTrue(noTopic.err().contains("topic 'no-such-topic' does not exist"), noTopic.err());
        assertTrue(noTopic.err().contains("sightings"), "lists the existing topics: " + noTopic.err());
    }

    @Test
    void abortedRecordsAreHiddenUnlessTheRawLogIsAskedFor(LocalStack stack) throws Exception {
        String topic = "consume-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        AvroSerializer<Sighting> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        Map<String, Object> props = Map.of("bootstrap.servers", stack.bootstrapServers(),
                "transactional.id", "consume-it-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            for (String id : List.of("committed-1", "aborted", "committed-2")) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, id, serializer.serialize(topic, sighting(id)))).get();
                if (id.equals("aborted")) {
                    producer.abortTransaction();
                } else {
                    producer.commitTransaction();
                }
            }
        }

        CliRun committed = CliRun.of("consume", "--topic", topic, "--from-beginning", "--idle-timeout", "2",
                "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl());
        CliRun raw = CliRun.of("consume", "--topic", topic, "--from-beginning", "--idle-timeout", "2",
                "--read-uncommitted", "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl());

        assertEquals(0, committed.exitCode(), committed.err());
        assertEquals(List.of("committed-1", "committed-2"), committed.outLines().stream()
                .map(line -> parse(line).get("sightingId").asText()).toList());
        assertEquals(0, raw.exitCode(), raw.err());
        assertEquals(List.of("committed-1", "aborted", "committed-2"), raw.outLines().stream()
                .map(line -> parse(line).get("sightingId").asText()).toList());
    }

    /** Offsets 0, 1, 2 of a new one-partition topic: a sighting, raw text, another sighting. */
    private static List<RecordMetadata> writeSightingRawSighting(LocalStack stack, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        AvroSerializer<Sighting> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        Map<String, Object> props = Map.of("bootstrap.servers", stack.bootstrapServers(), "acks", "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            RecordMetadata first = producer.send(new ProducerRecord<>(topic, "key-first",
                    serializer.serialize(topic, sighting("first")))).get();
            RecordMetadata raw = producer.send(new ProducerRecord<>(topic, "key-raw",
                    "plain text, not Avro".getBytes(StandardCharsets.UTF_8))).get();
            RecordMetadata third = producer.send(new ProducerRecord<>(topic, "key-third",
                    serializer.serialize(topic, sighting("third")))).get();
            return List.of(first, raw, third);
        }
    }

    private static Sighting sighting(String id) {
        return Sighting.newBuilder().setSightingId(id).setObserverId("ann")
                .setObservedAt(Instant.parse("2024-06-01T10:00:00Z"))
                .setImage(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 0}))
                .setContentType("image/jpeg").build();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
