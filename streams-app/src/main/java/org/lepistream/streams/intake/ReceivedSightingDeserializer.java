package org.lepistream.streams.intake;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.serde.AvroSerdes;

/** Deserializes a sighting and keeps its raw bytes; failures propagate to the deserialization exception handler. */
public final class ReceivedSightingDeserializer implements Deserializer<ReceivedSighting> {

    private final Deserializer<Sighting> avro;

    public ReceivedSightingDeserializer(Map<String, ?> serdeConfig) {
        this.avro = AvroSerdes.specific(Sighting.class, serdeConfig).deserializer();
    }

    @Override
    public ReceivedSighting deserialize(String topic, byte[] data) {
        if (data == null) {
            return new ReceivedSighting(null, null);
        }
        return new ReceivedSighting(avro.deserialize(topic, data), data);
    }

    /** Rebuilds the sighting from bytes stored earlier (after a restart restored the batching buffer). */
    public Sighting sighting(String topic, byte[] raw) {
        return avro.deserialize(topic, raw);
    }
}
