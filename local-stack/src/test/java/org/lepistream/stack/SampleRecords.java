package org.lepistream.stack;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Fills any generated Avro class with random values from its schema, so that a test covers every field of every
 * contract, including ones added later, without listing them.
 */
final class SampleRecords {

    private final Random random;
    private final boolean full;

    /**
     * @param full true: every optional union takes its non-null branch and collections have elements (exercises
     *             nested types); false: nulls and empty collections wherever the schema allows
     */
    SampleRecords(long seed, boolean full) {
        this.random = new Random(seed);
        this.full = full;
    }

    <T extends SpecificRecord> T of(Class<T> type) {
        return type.cast(value(SpecificData.get().getSchema(type)));
    }

    private Object value(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        if (logical != null && logical.getName().equals("timestamp-millis")) {
            // Millisecond precision, within a plausible range of dates.
            return Instant.ofEpochMilli(1_600_000_000_000L + (long) (random.nextDouble() * 200_000_000_000L));
        }
        if (logical != null) {
            throw new IllegalStateException("SampleRecords has no generator for logical type " + logical.getName()
                    + " yet (schema " + schema + "): add one");
        }
        switch (schema.getType()) {
            case RECORD: {
                SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), value(field.schema()));
                }
                return record;
            }
            case UNION: {
                List<Schema> branches = schema.getTypes();
                Schema nonNull = branches.stream().filter(b -> b.getType() != Schema.Type.NULL).findFirst()
                        .orElseThrow();
                boolean nullable = branches.size() > 1 || branches.get(0).getType() == Schema.Type.NULL;
                return full || !nullable ? value(nonNull) : null;
            }
            case ENUM:
                return SpecificData.get().createEnum(
                        schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())), schema);
            case ARRAY: {
                List<Object> list = new ArrayList<>();
                int size = full ? 1 + random.nextInt(3) : 0;
                for (int i = 0; i < size; i++) {
                    list.add(value(schema.getElementType()));
                }
                return list;
            }
            case MAP: {
                Map<String, Object> map = new HashMap<>();
                int size = full ? 1 + random.nextInt(3) : 0;
                for (int i = 0; i < size; i++) {
                    map.put("k" + i + "-" + random.nextInt(1000), value(schema.getValueType()));
                }
                return map;
            }
            case STRING:
                return "s-" + Long.toHexString(random.nextLong()) + (full ? " é漢" : "");
            case BYTES: {
                byte[] bytes = new byte[full ? 1 + random.nextInt(4096) : 0];
                random.nextBytes(bytes);
                return ByteBuffer.wrap(bytes);
            }
            case FIXED: {
                byte[] bytes = new byte[schema.getFixedSize()];
                random.nextBytes(bytes);
                return SpecificData.get().createFixed(null, bytes, schema);
            }
            case INT:
                return random.nextInt();
            case LONG:
                return random.nextLong();
            case FLOAT:
                return random.nextFloat();
            case DOUBLE:
                return random.nextDouble() * 180 - 90;
            case BOOLEAN:
                return random.nextBoolean();
            case NULL:
                return null;
            default:
                throw new IllegalStateException("unsupported schema type " + schema.getType());
        }
    }
}
