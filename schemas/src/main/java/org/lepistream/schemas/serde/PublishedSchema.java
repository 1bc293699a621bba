package org.lepistream.schemas.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * A schema as it is published to the registry: without the properties only Avro's Java code generator reads
 * ({@code avro.java.string}, {@code java-class}, ...).
 *
 * <p>Generated classes carry {@code "avro.java.string":"String"} on every string. Registered as is, the same contract
 * gets one id from a Java producer and another from a client that registers the .avsc file, and the registry keeps
 * two versions of one schema. Stripping them makes the Java-registered text the same schema as the file's.
 */
public final class PublishedSchema {
    /** Properties read by Avro's Java code generator and SpecificData only; meaningless to other languages. */
    static final Set<String> JAVA_ONLY_PROPERTIES = Set.of(
            "avro.java.string", "java-class", "java-key-class", "java-element-class");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PublishedSchema() {
    }

    /** The schema without Java-only properties (the same instance when it has none). */
    public static Schema of(Schema schema) {
        String text = schema.toString();
        if (JAVA_ONLY_PROPERTIES.stream().noneMatch(text::contains)) {
            return schema;
        }
        try {
            JsonNode tree = JSON.readTree(text);
            return new Schema.Parser().parse(JSON.writeValueAsString(strip(tree)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Avro wrote a schema Jackson cannot read: " + e.getMessage(), e);
        }
    }

    /** The text registered for the schema: {@link #of} in Avro's compact JSON. */
    public static String text(Schema schema) {
        return of(schema).toString();
    }

    /**
     * Removes the properties from every schema node; field defaults are data, not schemas, and are left alone (a map
     * default may well have a key named like one of the properties).
     */
    private static JsonNode strip(JsonNode node) {
        if (node instanceof ArrayNode union) {
            union.forEach(PublishedSchema::strip);
        } else if (node instanceof ObjectNode schema) {
            schema.remove(JAVA_ONLY_PROPERTIES);
            for (String nested : new String[] {"type", "items", "values"}) {
                if (schema.has(nested)) {
                    strip(schema.get(nested));
                }
            }
            if (schema.get("fields") instanceof ArrayNode fields) {
                fields.forEach(PublishedSchema::strip);
            }
        }
        return node;
    }
}
