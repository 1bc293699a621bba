package org.lepistream.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.TopicSpec;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.serde.AvroSerializer;
import org.lepistream.schemas.serde.Compatibility;
import org.lepistream.schemas.serde.IncompatibleSchemaException;
import org.lepistream.schemas.serde.RegistryClient;
import org.lepistream.schemas.serde.WireFormat;
import org.lepistream.stack.junit.LocalStackExtension;

/**
 * The contract rules against the real registry and broker, seen as a third-party client sees them: plain HTTP to the
 * Confluent API and the .avsc files as published.
 */
@ExtendWith(LocalStackExtension.class)
class ContractsIT {
    /** The published .avsc files, read where they lie (the schemas module's sources). */
    static final Path AVSC = Path.of(System.getProperty("lepistream.avsc.dir", "../schemas/src/main/avro"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void everySubjectExistsWithItsLevelRightAfterTheStackStarts(LocalStack stack) throws Exception {
        for (TopicSpec topic : Topics.ALL) {
            JsonNode latest = get(stack, "/subjects/" + topic.valueSubject() + "/versions/latest");
            assertEquals(topic.valueSubject(), latest.path("subject").asText(), latest.toString());
            Schema registered = new Schema.Parser().parse(latest.path("schema").asText());
            assertEquals(topic.publishedValueSchema(), registered, topic.name());
            assertTrue(!latest.path("schema").asText().contains("avro.java"), "no Java-only properties registered");

            JsonNode config = get(stack, "/config/" + topic.valueSubject());
            assertEquals(topic.compatibility().name(), config.path("compatibilityLevel").asText(), topic.name());
            assertEquals(Compatibility.FULL_TRANSITIVE, new RegistryClient(stack.registryUrl())
                    .compatibility(topic.valueSubject()), topic.name());
        }
    }

    @Test
    void aSightingWithoutSightingIdIsRefusedWithTheRegistrysReason(LocalStack stack) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(AVSC.resolve("Sighting.avsc").toFile());
        for (Iterator<JsonNode> fields = tree.withArray("fields").elements(); fields.hasNext(); ) {
            if (fields.next().path("name").asText().equals("sightingId")) {
                fields.remove();
            }
        }
        Schema withoutId = new Schema.Parser().parse(tree.toString());
        RegistryClient registry = new RegistryClient(stack.registryUrl());
        int before = registry.latest("sightings-value").version();

        IncompatibleSchemaException refused = assertThrows(IncompatibleSchemaException.class,
                () -> registry.register("sightings-value", withoutId));
        assertEquals(409, refused.status());
        assertNotNull(refused.registryMessage(), "the registry gave a reason");
        assertTrue(refused.registryMessage().contains("sightingId"), "naming the field: " + refused.registryMessage());
        assertTrue(refused.getMessage().contains(refused.registryMessage()), refused.getMessage());
        assertTrue(refused.getMessage().contains("FULL_TRANSITIVE") && refused.getMessage().contains("sightings-value"),
                "our message names the level in force and the subject: " + refused.getMessage());

        // A producer using it through the serializer fails before anything reaches the topic.
        GenericRecord record = new GenericData.Record(withoutId);
        record.put("observerId", "o");
        record.put("observedAt", 1L);
        record.put("source", "x");
        record.put("metadata", java.util.Map.of());
        AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
        serializer.configure(StackRecords.serdeConfig(stack), false);
        SerializationException failure = assertThrows(SerializationException.class,
                () -> serializer.serialize(Topics.SIGHTINGS, record));
        assertInstanceOf(IncompatibleSchemaException.class, failure.getCause());
        assertEquals(before, registry.latest("sightings-value").version(), "nothing was registered");
    }

    @Test
    void theFileAndTheJavaClassRegisterAsOneSchemaWithOneId(LocalStack stack) throws Exception {
        for (TopicSpec topic : Topics.ALL) {
            Path file = AVSC.resolve(topic.valueClass().getSimpleName() + ".avsc");
            int versions = get(stack, "/subjects/" + topic.valueSubject() + "/versions").size();

            // What a third-party client does: post the file's text as it is, pretty-printed and all.
            String text = Files.readString(file);
            int fromFile = post(stack, "/subjects/" + topic.valueSubject() + "/versions", text).path("id").asInt(-1);
            int fromJava = new RegistryClient(stack.registryUrl()).register(topic.valueSubject(), topic.valueSchema());

            assertEquals(fromJava, fromFile, topic.name());
            assertEquals(versions, get(stack, "/subjects/" + topic.valueSubject() + "/versions").size(),
                    topic.name() + ": no second version for the same schema");
        }
        // And the id a Java producer writes in every record is that one.
        AvroSerializer<Sighting> serializer = new AvroSerializer<>();
        serializer.configure(StackRecords.serdeConfig(stack), false);
        Sighting sighting = new SampleRecords(17, true).of(Sighting.class);
        int written = WireFormat.schemaId(serializer.serialize(Topics.SIGHTINGS, sighting));
        assertEquals(post(stack, "/subjects/sightings-value/versions",
                Files.readString(AVSC.resolve("Sighting.avsc"))).path("id").asInt(), written);
    }

    private JsonNode get(LocalStack stack, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(stack.registryUrl() + path)).GET());
    }

    private JsonNode post(LocalStack stack, String path, String schema) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema));
        return send(HttpRequest.newBuilder(URI.create(stack.registryUrl() + path))
                .header("Content-Type", CONTENT_TYPE).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
