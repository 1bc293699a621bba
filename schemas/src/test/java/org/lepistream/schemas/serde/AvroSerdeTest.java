package org.lepistream.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lepistream.schemas.GeoPoint;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.Samples;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.TopicSpec;
import org.lepistream.schemas.Topics;

class AvroSerdeTest {
    private FakeRegistry registry;
    private Map<String, Object> config;

    @BeforeEach
    void start() throws IOException {
        registry = new FakeRegistry("/apis/ccompat/v7");
        config = new HashMap<>(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url(), SerdeConfig.RETRIES_WAIT_MS, 1,
                SerdeConfig.MAX_RETRIES, 1));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void everyContractRoundTripsInWireFormat() {
        RegistryClient client = new RegistryClient(config);
        for (TopicSpec topic : Topics.ALL) {
            roundTrip(topic, topic.valueClass(), client);
        }
        assertEquals(Topics.ALL.stream().map(TopicSpec::valueSubject).sorted().toList(),
                client.subjects().stream().sorted().toList());
    }

    private <T extends SpecificRecord> void roundTrip(TopicSpec topic, Class<T> type, RegistryClient client) {
        T sample = type.cast(Samples.of(type));
        AvroSerde<T> specific = AvroSerdes.specific(type, config);
        byte[] bytes = specific.serializer().serialize(topic.name(), sample);

        assertEquals(0, bytes[0], "magic byte");
        assertEquals(client.latest(topic.valueSubject()).id(), WireFormat.schemaId(bytes), topic.name());
        assertEquals(sample, specific.deserializer().deserialize(topic.name(), bytes), topic.name());

        AvroSerde<GenericRecord> generic = AvroSerdes.generic(config);
        GenericRecord asGeneric = generic.deserializer().deserialize(topic.name(), bytes);
        // The registry holds the published schema (no Java-only properties); written back, it is the same version.
        assertEquals(topic.publishedValueSchema(), asGeneric.getSchema());
        byte[] again = generic.serializer().serialize(topic.name(), asGeneric);
        assertEquals(WireFormat.schemaId(bytes), WireFormat.schemaId(again), "same schema, same id");
        // Not byte-compared: map entries may come back in another order.
        assertEquals(sample, specific.deserializer().deserialize(topic.name(), again), topic.name());
    }

    @Test
    void keysUseTheKeySubject() {
        AvroSerializer<Sighting> keys = new AvroSerializer<>();
        keys.configure(config, true);
        keys.serialize("sightings", Samples.sighting());
        assertEquals(List.of("sightings-key"), new RegistryClient(config).subjects());
    }

    @Test
    void nullIsATombstoneBothWays() {
        AvroSerde<Sighting> serde = AvroSerdes.specific(Sighting.class, config);
        assertNull(serde.serializer().serialize("sightings", null));
        assertNull(serde.deserializer().deserialize("sightings", null));
    }

    @Test
    void foreignBytesFailWithTheMagicByteAndTopic() {
        AvroSerde<Sighting> serde = AvroSerdes.specific(Sighting.class, config);
        byte[] json = "{\"sightingId\":\"x\"}".getBytes();
        UnknownMagicByteException e = assertThrows(UnknownMagicByteException.class,
                () -> serde.deserializer().deserialize("sightings", json));
        assertEquals('{', e.magicByte());
        assertTrue(e.getMessage().contains("0x7b") && e.getMessage().contains("'sightings'"), e.getMessage());
        assertInstanceOf(SerializationException.class, e);
    }

    @Test
    void unknownSchemaIdFailsWithTheIdAndTopic() {
        AvroSerde<Sighting> serde = AvroSerdes.specific(Sighting.class, config);
        byte[] bytes = serde.serializer().serialize("sightings", Samples.sighting());
        bytes[1] = 0x7f; // id 0x7f0000xx: never issued
        UnknownSchemaIdException e = assertThrows(UnknownSchemaIdException.class,
                () -> serde.deserializer().deserialize("sightings", bytes));
        assertEquals(WireFormat.schemaId(bytes), e.schemaId());
        assertTrue(e.getMessage().contains(Integer.toString(e.schemaId())) && e.getMessage().contains("'sightings'"),
                e.getMessage());
    }

    @Test
    void truncatedPayloadsAreMalformed() {
        AvroSerde<Sighting> serde = AvroSerdes.specific(Sighting.class, config);
        byte[] bytes = serde.serializer().serialize("sightings", Samples.sighting());
        byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
        assertThrows(MalformedPayloadException.class, () -> serde.deserializer().deserialize("sightings", cut));
        assertThrows(MalformedPayloadException.class,
                () -> serde.deserializer().deserialize("sightings", new byte[] {0, 0, 1}));
    }

    @Test
    void aRecordOfAnotherTypeIsASchemaMismatch() {
        byte[] sighting = AvroSerdes.specific(Sighting.class, config).serializer().serialize("sightings", Samples.sighting());
        AvroSerde<Identification> identifications = AvroSerdes.specific(Identification.class, config);
        SchemaMismatchException e = assertThrows(SchemaMismatchException.class,
                () -> identifications.deserializer().deserialize("sightings", sighting));
        assertTrue(e.getMessage().contains("org.lepistream.schemas.Sighting"), e.getMessage());
    }

    @Test
    void specificReaderByConfigFindsTheClassOfTheWriterSchema() {
        byte[] bytes = AvroSerdes.specific(Sighting.class, config).serializer().serialize("sightings", Samples.sighting());
        AvroDeserializer<GenericRecord> byName = new AvroDeserializer<>();
        Map<String, Object> specific = new HashMap<>(config);
        specific.put(SerdeConfig.SPECIFIC_AVRO_READER, "true");
        byName.configure(specific, false);
        assertEquals(Samples.sighting(), byName.deserialize("sightings", bytes));
    }

    @Test
    void withoutAutoRegisterTheSchemaMustAlreadyBeRegistered() {
        config.put(SerdeConfig.AUTO_REGISTER_SCHEMAS, false);
        AvroSerde<Sighting> serde = AvroSerdes.specific(Sighting.class, config);
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.serializer().serialize("sightings", Samples.sighting()));
        assertTrue(e.getMessage().contains("not registered under subject sightings-value"), e.getMessage());

        int id = new RegistryClient(config).register("sightings-value", Sighting.getClassSchema());
        assertEquals(id, WireFormat.schemaId(serde.serializer().serialize("sightings", Samples.sighting())));
        assertEquals(1, registry.count("POST /subjects/sightings-value/versions"), "the serializer never registered");
        serde.serializer().serialize("sightings", Samples.sighting());
        long lookups = registry.count("POST /subjects/sightings-value") - registry.count("POST /subjects/sightings-value/");
        assertEquals(2, lookups, "looked up when missing, once when found, then cached");
    }

    @Test
    void useLatestVersionWritesWithTheSubjectsLatestSchema() {
        Schema v2 = SchemaEvolutionTest.sightingWithHabitat();
        RegistryClient client = new RegistryClient(config);
        client.register("sightings-value", Sighting.getClassSchema());
        int latestId = client.register("sightings-value", v2);

        config.put(SerdeConfig.AUTO_REGISTER_SCHEMAS, false);
        config.put(SerdeConfig.USE_LATEST_VERSION, true);
        byte[] bytes = AvroSerdes.specific(Sighting.class, config).serializer().serialize("sightings", Samples.sighting());
        assertEquals(latestId, WireFormat.schemaId(bytes));

        GenericRecord written = AvroSerdes.generic(config).deserializer().deserialize("sightings", bytes);
        assertEquals(PublishedSchema.of(v2), written.getSchema());
        assertNull(written.get("habitat"));
        assertEquals("s-0001", written.get("sightingId").toString());
        assertEquals(Samples.sighting(), AvroSerdes.specific(Sighting.class, config).deserializer()
                .deserialize("sightings", bytes));
    }

    @Test
    void missingRequiredFieldIsASerializationError() {
        GenericRecord broken = new GenericData.Record(GeoPoint.getClassSchema());
        broken.put("lat", 1.0); // lon left null
        AvroSerde<GenericRecord> serde = AvroSerdes.generic(config);
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.serializer().serialize("points", broken));
        assertTrue(e.getMessage().contains("GeoPoint"), e.getMessage());
    }

    @Test
    void unreachableRegistrySurfacesAsSerializationExceptionWithTheClearCause() throws IOException {
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + RegistryClientTest.freePort());
        AvroSerde<Sighting> serde = AvroSerdes.specific(Sighting.class, config);
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.serializer().serialize("sightings", Samples.sighting()));
        assertInstanceOf(RegistryUnreachableException.class, e.getCause());
        assertTrue(e.getMessage().contains("unreachable at http://127.0.0.1:"), e.getMessage());
    }

    @Test
    void otherSubjectNameStrategiesAreRefused() {
        config.put(SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "io.confluent.kafka.serializers.subject.RecordNameStrategy");
        assertThrows(ConfigException.class, () -> AvroSerdes.specific(Sighting.class, config));
    }
}
