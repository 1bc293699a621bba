package org.lepistream.schemas.serde;

import java.util.Map;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka Serde pairing {@link AvroSerializer} and {@link AvroDeserializer} (Confluent wire format, same config keys). */
public class AvroSerde<T extends GenericContainer> implements Serde<T> {
    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    /** Generic or config-driven (specific.avro.reader) serde; {@link #configure} must follow. */
    public AvroSerde() {
        this(null, null);
    }

    /** Specific serde reading into this class; {@link #configure} must follow. */
    public AvroSerde(Class<T> type) {
        this(null, type);
    }

    /** Shares a registry client; type may be null for a generic serde. */
    public AvroSerde(RegistryClient registry, Class<T> type) {
        this.serializer = new AvroSerializer<>(registry);
        this.deserializer = new AvroDeserializer<>(registry, type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
