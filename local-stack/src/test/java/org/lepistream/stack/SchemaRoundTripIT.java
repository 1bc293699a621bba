package org.lepistream.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.UUID;
import java.util.stream.Stream;

import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lepistream.schemas.TopicSpec;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.serde.AvroDeserializer;
import org.lepistream.schemas.serde.AvroSerializer;
import org.lepistream.schemas.serde.RegistryClient;
import org.lepistream.schemas.serde.SchemaVersion;
import org.lepistream.schemas.serde.WireFormat;
import org.lepistream.stack.junit.LocalStackExtension;

/** Every contract of the catalogue goes through our serde, the real registry and the real broker unchanged. */
@ExtendWith(LocalStackExtension.class)
class SchemaRoundTripIT {

    static Stream<Arguments> everyContract() {
        return Topics.ALL.stream().flatMap(spec -> Stream.of(
                Arguments.of(spec.name(), true), Arguments.of(spec.name(), false)));
    }

    @ParameterizedTest(name = "{0} (all optional fields set: {1})")
    @MethodSource("everyContract")
    void recordSurvivesProduceAndConsume(String topic, boolean full, LocalStack stack) {
        TopicSpec spec = Topics.spec(topic);
        SpecificRecord sent = new SampleRecords(topic.hashCode() * 31L + (full ? 1 : 0), full).of(spec.valueClass());

        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(StackRecords.serdeConfig(stack), false);
        RecordMetadata where = StackRecords.send(stack, topic, UUID.randomUUID().toString(), sent, serializer);

        ConsumerRecord<String, byte[]> raw = StackRecords.readAt(stack, where);
        // A fresh client: the schema must come from the registry, not from the serializer's cache.
        RegistryClient registry = new RegistryClient(stack.registryUrl());
        @SuppressWarnings({"unchecked", "rawtypes"})
        AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer(registry, spec.valueClass());
        deserializer.configure(StackRecords.serdeConfig(stack), false);
        SpecificRecord received = deserializer.deserialize(topic, raw.value());

        assertInstanceOf(spec.valueClass(), received);
        assertArrayEquals(StackRecords.encoded(sent), StackRecords.encoded(received));
        assertEquals(sent, received);
        SchemaVersion latest = registry.latest(spec.valueSubject());
        assertEquals(WireFormat.schemaId(raw.value()), latest.id());
        assertEquals(SchemaNormalization.parsingFingerprint64(spec.valueSchema()),
                SchemaNormalization.parsingFingerprint64(latest.schema()));
    }
}
