package org.lepistream.schemas.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * One-line JSON rendering of Avro data for humans (the consume command, logs).
 *
 * <p>Choices, for readability over round-tripping: unions are written as their value (no {"type": value} wrapper);
 * bytes and fixed are written as {"$bytes": LENGTH} so that photos and PNGs never flood a terminal; timestamp-millis
 * and timestamp-micros are written as ISO-8601 instants, date as an ISO date; enums as their symbol.
 */
public final class AvroJson {
    private static final JsonFactory JSON = new JsonFactory();
    // Resolves union branches of both generic (long) and specific (Instant) values.
    private static final GenericData DATA = new GenericData();

    static {
        DATA.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.DateConversion());
    }

    private AvroJson() {
    }

    /** One-line JSON of a record (generic or specific), enum, fixed or array. */
    public static String toJson(GenericContainer value) {
        return value == null ? "null" : toJson(value, value.getSchema());
    }

    /** One-line JSON of any datum of the given schema. */
    public static String toJson(Object datum, Schema schema) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            write(json, datum, schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator json, Object datum, Schema schema) throws IOException {
        if (datum == null) {
            json.writeNull();
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) datum;
                json.writeStartObject();
                for (Schema.Field field : schema.getFields()) {
                    json.writeFieldName(field.name());
                    write(json, record.get(field.pos()), field.schema());
                }
                json.writeEndObject();
            }
            case UNION -> write(json, datum, schema.getTypes().get(DATA.resolveUnion(schema, datum)));
            case ARRAY -> {
                json.writeStartArray();
                for (Object item : (Collection<?>) datum) {
                    write(json, item, schema.getElementType());
                }
                json.writeEndArray();
            }
            case MAP -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) datum).entrySet()) {
                    json.writeFieldName(entry.getKey().toString());
                    write(json, entry.getValue(), schema.getValueType());
                }
                json.writeEndObject();
            }
            case BYTES -> writeBytes(json, ((ByteBuffer) datum).remaining());
            case FIXED -> writeBytes(json, ((GenericFixed) datum).bytes().length);
            case STRING, ENUM -> json.writeString(datum.toString());
            case INT, LONG -> writeNumber(json, datum, schema.getLogicalType());
            case FLOAT -> json.writeNumber(((Number) datum).floatValue());
            case DOUBLE -> json.writeNumber(((Number) datum).doubleValue());
            case BOOLEAN -> json.writeBoolean((Boolean) datum);
            case NULL -> json.writeNull();
            default -> json.writeString(datum.toString());
        }
    }

    private static void writeBytes(JsonGenerator json, int length) throws IOException {
        json.writeStartObject();
        json.writeNumberField("$bytes", length);
        json.writeEndObject();
    }

    private static void writeNumber(JsonGenerator json, Object datum, LogicalType logical) throws IOException {
        if (datum instanceof Instant || datum instanceof LocalDate) {
            json.writeString(datum.toString());
            return;
        }
        if (!(datum instanceof Number number)) {
            json.writeString(datum.toString()); // another logical conversion (e.g. LocalTime): its own text form
            return;
        }
        String name = logical == null ? "" : logical.getName();
        switch (name) {
            case "timestamp-millis" -> json.writeString(Instant.ofEpochMilli(number.longValue()).toString());
            case "timestamp-micros" -> json.writeString(Instant.EPOCH.plusNanos(number.longValue() * 1000).toString());
            case "date" -> json.writeString(LocalDate.ofEpochDay(number.longValue()).toString());
            default -> json.writeNumber(number.longValue());
        }
    }
}
