package org.lepistream.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.GeoPoint;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.serde.AvroDeserializer;
import org.lepistream.schemas.serde.AvroSerializer;
import org.lepistream.schemas.serde.WireFormat;
import org.lepistream.stack.junit.LocalStackExtension;

/**
 * Confluent's own client (Python, Debian's python3-confluent-kafka with fastavro) against our registry, broker and
 * Sighting.avsc: it finds the contract on a fresh stack, registers the file's text as the same schema id our Java
 * producer uses, and both sides read each other's records. Skipped, saying why, where that client is not installed.
 */
@ExtendWith(LocalStackExtension.class)
class ContractsInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void confluentsPythonClientAndOurJavaSerdeShareTheContract(LocalStack stack, @TempDir Path dir) throws Exception {
        String python = pythonWithConfluentClient().orElse(null);
        Assumptions.assumeTrue(python != null, "no python3 with confluent_kafka.schema_registry and fastavro "
                + "(apt-get install python3-confluent-kafka python3-requests; pip install fastavro)");
        String topic = "interop-" + UUID.randomUUID();
        StackRecords.createTopic(stack, topic, 1);

        // Java first: the bytes a lepistream producer writes to sightings, put on the test topic.
        Sighting fromJava = Sighting.newBuilder().setSightingId("from-java").setObserverId("java-observer")
                .setObservedAt(Instant.parse("2024-05-02T09:30:00Z")).setLocation(new GeoPoint(51.5, -0.12))
                .setImage(ByteBuffer.wrap(new byte[] {9, 8, 7, 6})).setContentType("image/png").setSource("java")
                .setMetadata(Map.of("k", "v")).build();
        AvroSerializer<Sighting> serializer = new AvroSerializer<>();
        serializer.configure(StackRecords.serdeConfig(stack), false);
        byte[] javaBytes = serializer.serialize(Topics.SIGHTINGS, fromJava);
        StackRecords.sendRaw(stack, topic, "from-java", javaBytes);

        Path script = dir.resolve("confluent_client.py");
        try (var in = getClass().getResourceAsStream("/interop/confluent_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        JsonNode answer = run(dir.resolve("python.log"), python, script.toString(), stack.bootstrapServers(), stack.registryUrl(),
                ContractsIT.AVSC.resolve("Sighting.avsc").toAbsolutePath().toString(), topic);

        int javaId = WireFormat.schemaId(javaBytes);
        assertEquals(javaId, answer.path("latest_id").asInt(), "the client found our contract as the latest version");
        assertEquals(javaId, answer.path("written_id").asInt(), "the .avsc file registered as the same schema");
        JsonNode read = answer.path("from_java");
        assertEquals("from-java", read.path("sightingId").asText(), answer.toString());
        assertEquals(51.5, read.path("location").path("lat").asDouble());
        assertEquals(4, read.path("image").asInt(), "image bytes (rendered as their length)");

        // And our deserializer reads what Confluent's serializer wrote.
        List<ConsumerRecord<String, byte[]>> records = StackRecords.readFrom(stack, new TopicPartition(topic, 0), 0, 2);
        byte[] pythonBytes = records.stream().filter(r -> r.key().equals("from-python")).findFirst().orElseThrow()
                .value();
        AvroDeserializer<Sighting> reader = new AvroDeserializer<>(Sighting.class);
        reader.configure(StackRecords.serdeConfig(stack), false);
        Sighting fromPython = reader.deserialize(Topics.SIGHTINGS, pythonBytes);
        assertEquals("from-python", fromPython.getSightingId());
        assertEquals(Instant.ofEpochMilli(1714550400000L), fromPython.getObservedAt());
        assertEquals(-1.55, fromPython.getLocation().getLon());
        assertEquals(Map.of("app", "interop"), fromPython.getMetadata());
    }

    /** The first python3 (LEPISTREAM_PYTHON, PATH, Debian's) that imports Confluent's Avro serde. */
    private static Optional<String> pythonWithConfluentClient() {
        for (String candidate : new String[] {System.getenv("LEPISTREAM_PYTHON"), "python3", "/usr/bin/python3"}) {
            if (candidate == null) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(candidate, "-c",
                        "import confluent_kafka.schema_registry.avro, fastavro").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException e) {
                // Not there: try the next.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static JsonNode run(Path log, String... command) throws IOException, InterruptedException {
        // stderr to a file: librdkafka may log more than a pipe holds while we read stdout.
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the Python client did not finish within 180 s");
        }
        String stdout = new String(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(log);
        assertEquals(0, p.exitValue(), "python failed: " + stderr + stdout);
        String last = stdout.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("{"), "no JSON answer: " + stdout + stderr);
        return JSON.readTree(last);
    }
}
