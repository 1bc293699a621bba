package org.lepistream.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lepistream.schemas.GeoPoint;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.serde.AvroDeserializer;
import org.lepistream.schemas.serde.AvroSerializer;
import org.lepistream.schemas.serde.IncompatibleSchemaException;
import org.lepistream.schemas.serde.RegistryClient;
import org.lepistream.stack.junit.LocalStackExtension;

/** Schema evolution through the real registry (BACKWARD) and broker: compatible changes flow, breaking ones are refused. */
@ExtendWith(LocalStackExtension.class)
class SchemaEvolutionIT {

    @Test
    void addedFieldWithDefaultIsReadBothWays(LocalStack stack) {
        String topic = "evolution-" + UUID.randomUUID();
        StackRecords.createTopic(stack, topic, 1);
        Sighting v1 = Sighting.newBuilder()
                .setSightingId("v1-sighting").setObserverId("ann").setObservedAt(Instant.parse("2024-05-01T08:00:00Z"))
                .setLocation(new GeoPoint(53.8, -1.55)).setImage(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setContentType("image/jpeg").setSource("app").setMetadata(Map.of("k", "v")).build();
        org.lepistream.stack.evolution.Sighting v2 = org.lepistream.stack.evolution.Sighting.newBuilder()
                .setSightingId("v2-sighting").setObserverId("bob").setObservedAt(Instant.parse("2024-05-02T09:30:00Z"))
                .setSource("app").setWeather("sunny").build();

        RecordMetadata first = StackRecords.send(stack, topic, v1.getSightingId(), v1, serializer(stack));
        RecordMetadata second = StackRecords.send(stack, topic, v2.getSightingId(), v2, serializer(stack));

        RegistryClient registry = new RegistryClient(stack.registryUrl());
        assertEquals(2, registry.latest(topic + "-value").version(), "the registry accepted v2 as a new version");
        List<ConsumerRecord<String, byte[]>> records = StackRecords.readFrom(stack,
                new TopicPartition(topic, 0), first.offset(), 2);
        assertEquals(second.offset(), records.get(1).offset());

        // Old reader, new data: the added field is dropped, everything else arrives.
        AvroDeserializer<Sighting> oldReader = reader(stack, Sighting.class);
        Sighting v2AsV1 = oldReader.deserialize(topic, records.get(1).value());
        assertEquals("v2-sighting", v2AsV1.getSightingId());
        assertEquals(v2.getObservedAt(), v2AsV1.getObservedAt());
        assertEquals(v1, oldReader.deserialize(topic, records.get(0).value()));

        // New reader, old data: the added field takes its default; the rest, nested record included, is kept.
        AvroDeserializer<org.lepistream.stack.evolution.Sighting> newReader = reader(stack,
                org.lepistream.stack.evolution.Sighting.class);
        org.lepistream.stack.evolution.Sighting v1AsV2 = newReader.deserialize(topic, records.get(0).value());
        assertEquals("unrecorded", v1AsV2.getWeather());
        assertEquals(v1.getLocation().getLat(), v1AsV2.getLocation().getLat());
        assertArrayEquals(new byte[] {1, 2, 3}, bytes(v1AsV2.getImage()));
        assertEquals("sunny", newReader.deserialize(topic, records.get(1).value()).getWeather());
    }

    @Test
    void breakingChangeIsRefusedWithTheRegistrysReason(LocalStack stack) {
        String topic = "breaking-" + UUID.randomUUID();
        String subject = topic + "-value";
        Schema v1 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Count\",\"namespace\":\"t\","
                + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
        // A new required field without a default: new readers could not read old records, so BACKWARD forbids it.
        Schema v2 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Count\",\"namespace\":\"t\","
                + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"wings\",\"type\":\"int\"}]}");
        RegistryClient registry = new RegistryClient(stack.registryUrl());
        int v1Id = registry.register(subject, v1);

        IncompatibleSchemaException refused = assertThrows(IncompatibleSchemaException.class,
                () -> registry.register(subject, v2));
        assertEquals(409, refused.status());
        assertEquals(subject, refused.subject());
        assertTrue(refused.getMessage().contains("incompatible") && refused.getMessage().contains(subject)
                && refused.getMessage().contains("BACKWARD"), refused.getMessage());
        assertTrue(refused.registryMessage() != null && refused.registryMessage().contains("wings"),
                "the registry's own reason names the offending field: " + refused.registryMessage());

        // Through the serializer the same refusal surfaces as Kafka's SerializationException with that cause.
        StackRecords.createTopic(stack, topic, 1);
        GenericRecord record = new GenericData.Record(v2);
        record.put("id", "x");
        record.put("wings", 4);
        AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
        serializer.configure(StackRecords.serdeConfig(stack), false);
        SerializationException failure = assertThrows(SerializationException.class,
                () -> serializer.serialize(topic, record));
        assertInstanceOf(IncompatibleSchemaException.class, failure.getCause());
        assertTrue(failure.getMessage().contains(subject), failure.getMessage());

        assertEquals(v1Id, registry.latest(subject).id(), "the refused schema was not registered");
        assertEquals(1, registry.latest(subject).version());
        assertNotEquals(0, v1Id);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    private static <T extends SpecificRecord> AvroSerializer<T> serializer(LocalStack stack) {
        AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(StackRecords.serdeConfig(stack), false);
        return serializer;
    }

    private static <T extends SpecificRecord> AvroDeserializer<T> reader(LocalStack stack, Class<T> type) {
        AvroDeserializer<T> deserializer = new AvroDeserializer<>(type);
        deserializer.configure(StackRecords.serdeConfig(stack), false);
        return deserializer;
    }
}
