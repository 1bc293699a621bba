package org.lepistream.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lepistream.schemas.Samples;
import org.lepistream.schemas.Sighting;

/** Schema evolution through the registry: v1 data read by a v2 reader and v2 data read by the v1 class. */
class SchemaEvolutionTest {
    private FakeRegistry registry;
    private Map<String, Object> config;

    @BeforeEach
    void start() throws IOException {
        registry = new FakeRegistry("");
        config = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        new RegistryClient(config).setCompatibility("sightings-value", Compatibility.BACKWARD);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    /** Sighting plus an optional, defaulted field: the only kind of change the contracts allow. */
    static Schema sightingWithHabitat() {
        Schema v1 = Sighting.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : v1.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("habitat", Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(Schema.Type.STRING)), "Added in v2.", JsonProperties.NULL_VALUE));
        return Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
    }

    @Test
    void v1DataIsReadByAV2ReaderWithDefaults() {
        Sighting v1 = Samples.sighting();
        byte[] bytes = AvroSerdes.specific(Sighting.class, config).serializer().serialize("sightings", v1);

        AvroSerde<org.lepistream.schemas.v2.Sighting> v2Serde =
                AvroSerdes.specific(org.lepistream.schemas.v2.Sighting.class, config);
        org.lepistream.schemas.v2.Sighting read = v2Serde.deserializer().deserialize("sightings", bytes);

        assertEquals(v1.getSightingId(), read.getSightingId());
        assertEquals(v1.getObservedAt(), read.getObservedAt());
        assertEquals(v1.getLocation().getLat(), read.getLocation().getLat());
        assertEquals(v1.getImage(), read.getImage());
        assertEquals(v1.getMetadata(), read.getMetadata());
        assertNull(read.getHabitat());
        assertEquals(1, read.getIndividuals());
    }

    @Test
    void v2DataIsReadByTheV1Class() {
        Schema v2 = sightingWithHabitat();
        Sighting sample = Samples.sighting();
        GenericRecordBuilder builder = new GenericRecordBuilder(v2);
        for (Schema.Field f : Sighting.getClassSchema().getFields()) {
            Object value = sample.get(f.pos());
            builder.set(f.name(), value instanceof java.time.Instant i ? i.toEpochMilli()
                    : value instanceof org.lepistream.schemas.GeoPoint p ? copy(p) : value);
        }
        GenericRecord written = builder.set("habitat", "chalk grassland").build();

        new RegistryClient(config).register("sightings-value", Sighting.getClassSchema());
        byte[] bytes = AvroSerdes.generic(config).serializer().serialize("sightings", written);
        // The registry accepted v2 under BACKWARD as the subject's second version.
        assertEquals(2, new RegistryClient(config).latest("sightings-value").version());

        Sighting read = AvroSerdes.specific(Sighting.class, config).deserializer().deserialize("sightings", bytes);
        assertEquals(sample, read);
        assertTrue(AvroJson.toJson(AvroSerdes.generic(config).deserializer().deserialize("sightings", bytes))
                .contains("\"habitat\":\"chalk grassland\""));
    }

    private static GenericRecord copy(org.lepistream.schemas.GeoPoint point) {
        GenericRecord generic = new GenericData.Record(org.lepistream.schemas.GeoPoint.getClassSchema());
        generic.put("lat", point.getLat());
        generic.put("lon", point.getLon());
        return generic;
    }
}
