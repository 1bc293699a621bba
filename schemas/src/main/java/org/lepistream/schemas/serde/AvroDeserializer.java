package org.lepistream.schemas.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for Confluent wire-format Avro records.
 *
 * <p>With specific.avro.reader=false (default) it returns a GenericRecord in the writer's schema. With true it returns
 * the SpecificRecord class given to the constructor, named by specific.avro.value.type / specific.avro.key.type, or else
 * found by the writer schema's full name; the writer's data is resolved into the class's schema (schema evolution).
 * Errors: {@link UnknownMagicByteException}, {@link UnknownSchemaIdException}, {@link MalformedPayloadException},
 * {@link SchemaMismatchException}, or a SerializationException wrapping a {@link RegistryException}.
 */
public class AvroDeserializer<T extends GenericContainer> implements Deserializer<T> {
    private RegistryClient registry;
    private Class<? extends SpecificRecord> readerClass;
    private boolean specific;
    private final Map<Integer, DatumReader<Object>> readersByWriterId = new ConcurrentHashMap<>();

    /** For Kafka to instantiate by class name; {@link #configure} must follow. */
    public AvroDeserializer() {
    }

    /** A specific reader of this class (specific.avro.reader is implied); {@link #configure} must follow. */
    public AvroDeserializer(Class<T> readerClass) {
        this(null, readerClass);
    }

    /** Shares a registry client; readerClass may be null for a generic (or config-driven) reader. */
    public AvroDeserializer(RegistryClient registry, Class<T> readerClass) {
        this.registry = registry;
        if (readerClass != null) {
            if (!SpecificRecord.class.isAssignableFrom(readerClass)) {
                throw new IllegalArgumentException(readerClass.getName() + " is not an Avro SpecificRecord class");
            }
            this.readerClass = readerClass.asSubclass(SpecificRecord.class);
            this.specific = true;
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig.requireTopicNameStrategy(configs, isKey);
        if (readerClass == null) {
            specific = SerdeConfig.bool(configs, SerdeConfig.SPECIFIC_AVRO_READER, false);
            String typeKey = isKey ? SerdeConfig.SPECIFIC_AVRO_KEY_TYPE : SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE;
            String typeName = SerdeConfig.string(configs, typeKey, null);
            if (specific && typeName != null) {
                readerClass = loadRecordClass(typeKey, typeName);
            }
        }
        if (registry == null) {
            registry = new RegistryClient(configs);
        }
        readersByWriterId.clear();
    }

    private static Class<? extends SpecificRecord> loadRecordClass(String key, String name) {
        try {
            Class<?> type = Class.forName(name, true, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : AvroDeserializer.class.getClassLoader());
            if (!SpecificRecord.class.isAssignableFrom(type)) {
                throw new ConfigException(key, name, "not an Avro SpecificRecord class");
            }
            return type.asSubclass(SpecificRecord.class);
        } catch (ClassNotFoundException e) {
            throw new ConfigException(key, name, "class not found");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        if (data.length > 0 && data[0] != WireFormat.MAGIC_BYTE) {
            throw new UnknownMagicByteException(topic, data[0]);
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new MalformedPayloadException("Record of topic '" + topic + "' is " + data.length
                    + " bytes: too short for Confluent wire format (5-byte header)", null);
        }
        int id = WireFormat.schemaId(data);
        DatumReader<Object> reader = readersByWriterId.computeIfAbsent(id, ignored -> reader(topic, id));
        Object value;
        try {
            value = reader.read(null, DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
                    data.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            // Truncated or garbage bodies surface as EOF, bad lengths or out-of-range union/enum indexes.
            throw new MalformedPayloadException("Cannot decode the Avro body of a record of topic '" + topic
                    + "' with schema id " + id + ": " + describe(e), e);
        }
        if (!(value instanceof GenericContainer)) {
            throw new SerializationException("Record of topic '" + topic + "' with schema id " + id
                    + " is a bare " + value.getClass().getSimpleName() + ", not an Avro record");
        }
        return (T) value;
    }

    private DatumReader<Object> reader(String topic, int id) {
        Schema writer;
        try {
            writer = registry.getById(id);
        } catch (RegistryException e) {
            if (e.status() == 404) {
                throw new UnknownSchemaIdException(topic, id, e);
            }
            throw new SerializationException("Cannot fetch schema id " + id + " for a record of topic '" + topic + "': "
                    + e.getMessage(), e);
        }
        if (!specific) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        Schema readerSchema = readerSchema(topic, id, writer);
        SchemaCompatibility.SchemaPairCompatibility check =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (check.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SchemaMismatchException("Record of topic '" + topic + "' was written with schema id " + id + " ("
                    + writer.getFullName() + ") which cannot be read as " + readerSchema.getFullName() + ": "
                    + check.getResult().getIncompatibilities().stream().findFirst()
                            .map(i -> i.getMessage() + " at " + i.getLocation()).orElse(check.getDescription()));
        }
        return new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForSchema(readerSchema));
    }

    private Schema readerSchema(String topic, int id, Schema writer) {
        if (readerClass != null) {
            return SpecificData.get().getSchema(readerClass);
        }
        Class<?> byName = SpecificData.get().getClass(writer);
        if (byName == null || !SpecificRecord.class.isAssignableFrom(byName)) {
            throw new SchemaMismatchException("No class " + writer.getFullName() + " on the classpath to read schema id " + id
                    + " of topic '" + topic + "' with specific.avro.reader=true; set "
                    + SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE + " or read generically");
        }
        return SpecificData.get().getSchema(byName);
    }

    private static String describe(Exception e) {
        if (e instanceof java.io.EOFException) {
            return "truncated (unexpected end of data)";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
