package org.lepistream.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.Samples;
import org.lepistream.schemas.Sighting;

class AvroJsonTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void photosRenderAsTheirLengthOnOneLine() throws Exception {
        Sighting sighting = Samples.sighting();
        sighting.setImage(ByteBuffer.wrap(new byte[1_048_576]));
        String json = AvroJson.toJson(sighting);

        assertFalse(json.contains("\n"));
        assertTrue(json.length() < 1_000, "a 1 MiB photo must not flood the terminal: " + json.length() + " chars");
        JsonNode tree = mapper.readTree(json);
        assertEquals(1_048_576, tree.path("image").path("$bytes").asInt());
        assertEquals("2024-06-01T12:00:00.123Z", tree.path("observedAt").asText());
        assertEquals(53.8008, tree.path("location").path("lat").asDouble());
        assertEquals("sunny", tree.path("metadata").path("weather").asText());
        assertTrue(tree.path("imageUri").isNull());
    }

    @Test
    void genericAndSpecificRenderTheSame() throws Exception {
        Identification identification = Samples.identification();
        var out = new java.io.ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.specific.SpecificDatumWriter<>(Identification.class).write(identification, encoder);
        encoder.flush();
        GenericRecord generic = new GenericDatumReader<GenericRecord>(Identification.getClassSchema(),
                Identification.getClassSchema(), GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        String json = AvroJson.toJson(identification);
        assertEquals(json, AvroJson.toJson(generic));
        JsonNode tree = mapper.readTree(json);
        assertEquals("REVIEW", tree.path("route").asText());
        assertEquals("ROLLED_UP", tree.path("reasons").path(0).asText());
        assertEquals("Vanessa cardui", tree.path("predictions").path(2).path("candidates").path(1).path("taxon").asText());
        assertEquals(35, tree.path("timings").path("inferenceMs").asLong());
    }

    @Test
    void missingValuesRenderAsJsonNull() {
        assertEquals("null", AvroJson.toJson(null));
        GenericData.Record empty = new GenericData.Record(Sighting.getClassSchema());
        assertTrue(AvroJson.toJson(empty).startsWith("{\"sightingId\":null,"), AvroJson.toJson(empty));
    }
}
