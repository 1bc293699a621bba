package org.lepistream.schemas.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/** Factory of configured value serdes for topologies and clients. */
public final class AvroSerdes {
    private AvroSerdes() {
    }

    /** A configured value serde for a generated record class, with specific.avro.reader on. */
    public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> type, Map<String, ?> config) {
        AvroSerde<T> serde = new AvroSerde<>(type);
        Map<String, Object> effective = new HashMap<>(config);
        effective.put(SerdeConfig.SPECIFIC_AVRO_READER, true);
        serde.configure(effective, false);
        return serde;
    }

    /** A configured value serde of GenericRecords in the writer's schema (specific.avro.reader off). */
    public static AvroSerde<GenericRecord> generic(Map<String, ?> config) {
        AvroSerde<GenericRecord> serde = new AvroSerde<>();
        Map<String, Object> effective = new HashMap<>(config);
        effective.put(SerdeConfig.SPECIFIC_AVRO_READER, false);
        serde.configure(effective, false);
        return serde;
    }
}
