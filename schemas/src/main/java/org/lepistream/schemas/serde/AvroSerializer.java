package org.lepistream.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro records in Confluent wire format, registering or looking up their schema in the registry.
 *
 * <p>Config (Confluent's keys): schema.registry.url, auto.register.schemas (true), use.latest.version (false),
 * latest.cache.ttl.sec (-1), basic.auth.*, max.retries, retries.wait.ms, retries.max.wait.ms. Subjects follow
 * TopicNameStrategy. Null values (tombstones) serialize to null.
 */
public class AvroSerializer<T extends GenericContainer> implements Serializer<T> {
    private RegistryClient registry;
    private boolean isKey;
    private boolean autoRegister = true;
    private boolean useLatest;
    private long latestTtlMs = -1;
    private final Map<String, Latest> latestBySubject = new ConcurrentHashMap<>();

    private record Latest(SchemaVersion version, long fetchedAt) {
    }

    /** For Kafka to instantiate by class name; {@link #configure} must follow. */
    public AvroSerializer() {
    }

    /** Shares a registry client (and its cache); {@link #configure} is still needed for the other settings. */
    public AvroSerializer(RegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig.requireTopicNameStrategy(configs, isKey);
        this.isKey = isKey;
        this.autoRegister = SerdeConfig.bool(configs, SerdeConfig.AUTO_REGISTER_SCHEMAS, true);
        this.useLatest = SerdeConfig.bool(configs, SerdeConfig.USE_LATEST_VERSION, false);
        long ttlSec = SerdeConfig.number(configs, SerdeConfig.LATEST_CACHE_TTL_SEC, -1, Long.MIN_VALUE);
        this.latestTtlMs = ttlSec < 0 ? -1 : ttlSec * 1000;
        if (registry == null) {
            registry = new RegistryClient(configs);
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        Schema schema = data.getSchema();
        String subject = SerdeConfig.subject(topic, isKey);
        try {
            if (useLatest) {
                SchemaVersion latest = latest(subject);
                if (sameSchema(latest.schema(), schema)) {
                    return encode(latest.id(), schema, data, topic);
                }
                // Project the record onto the latest version so readers of that version see exactly it.
                return encode(latest.id(), latest.schema(), convert(data, latest, topic), topic);
            }
            int id = autoRegister ? registry.register(subject, schema) : registeredId(subject, schema);
            return encode(id, schema, data, topic);
        } catch (RegistryException e) {
            throw new SerializationException("Cannot serialize " + schema.getFullName() + " for topic '" + topic
                    + "' (subject " + subject + "): " + e.getMessage(), e);
        }
    }

    private int registeredId(String subject, Schema schema) {
        try {
            return registry.registeredId(subject, schema);
        } catch (RegistryException e) {
            if (e.status() == 404) {
                throw new SerializationException("Schema " + schema.getFullName() + " is not registered under subject "
                        + subject + " and " + SerdeConfig.AUTO_REGISTER_SCHEMAS + " is false: register it first", e);
            }
            throw e;
        }
    }

    private SchemaVersion latest(String subject) {
        long now = System.currentTimeMillis();
        Latest cached = latestBySubject.get(subject);
        if (cached == null || (latestTtlMs >= 0 && now - cached.fetchedAt() > latestTtlMs)) {
            cached = new Latest(registry.latest(subject), now);
            latestBySubject.put(subject, cached);
        }
        return cached.version();
    }

    private static boolean sameSchema(Schema a, Schema b) {
        return a.equals(b) || SchemaNormalization.parsingFingerprint64(a) == SchemaNormalization.parsingFingerprint64(b);
    }

    private Object convert(T data, SchemaVersion latest, String topic) {
        byte[] own = body(data.getSchema(), data, topic);
        try {
            return new GenericDatumReader<>(data.getSchema(), latest.schema(), GenericData.get())
                    .read(null, DecoderFactory.get().binaryDecoder(own, null));
        } catch (IOException | AvroRuntimeException e) {
            throw new SerializationException("Cannot write " + data.getSchema().getFullName() + " as the latest version "
                    + latest.version() + " (id " + latest.id() + ") of subject " + latest.subject() + ": " + e.getMessage(), e);
        }
    }

    private byte[] encode(int id, Schema schema, Object datum, String topic) {
        byte[] body = body(schema, datum, topic);
        byte[] out = new byte[WireFormat.HEADER_SIZE + body.length];
        WireFormat.writeHeader(out, id);
        System.arraycopy(body, 0, out, WireFormat.HEADER_SIZE, body.length);
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] body(Schema schema, Object datum, String topic) {
        DatumWriter writer = datum instanceof SpecificRecord
                ? new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema))
                : new GenericDatumWriter<>(schema, GenericData.get());
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            // Avro reports a missing required field as NullPointerException / ClassCastException with a useful message.
            throw new SerializationException("Cannot serialize " + schema.getFullName() + " for topic '" + topic + "': "
                    + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
