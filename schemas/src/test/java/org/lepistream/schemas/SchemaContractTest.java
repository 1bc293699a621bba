package org.lepistream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Guards the evolution rule: every contract stays BACKWARD compatible with the first published version (snapshots in
 * src/test/resources/contract-baseline), and optional fields/enums carry defaults. A failure here means a change would
 * be refused by the registry or would break readers of old records.
 */
class SchemaContractTest {

    @Test
    void everyContractStillReadsItsBaseline() throws IOException {
        for (TopicSpec topic : Topics.ALL) {
            Schema baseline = baseline(topic.name());
            assertEquals(List.of(), backwardProblems(topic.valueSchema(), baseline), topic.name());
        }
    }

    @Test
    void theBaselineCheckCatchesARequiredFieldAddition() throws IOException {
        Schema baseline = baseline(Topics.SIGHTINGS);
        Schema broken = new Schema.Parser().parse(baseline.toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"weather\",\"type\":\"string\"},"));
        assertFalse(backwardProblems(broken, baseline).isEmpty());
    }

    @Test
    void optionalFieldsDefaultToNullAndEnumsHaveDefaults() {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TopicSpec topic : Topics.ALL) {
            inspect(topic.valueSchema(), problems, seen);
        }
        assertEquals(List.of(), problems);
    }

    private static void inspect(Schema schema, List<String> problems, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                for (Schema.Field field : schema.getFields()) {
                    Schema type = field.schema();
                    if (type.isUnion() && type.isNullable()) {
                        if (type.getTypes().get(0).getType() != Schema.Type.NULL
                                || field.defaultVal() != JsonProperties.NULL_VALUE) {
                            problems.add(schema.getName() + "." + field.name() + ": optional fields are [\"null\", T] with default null");
                        }
                    }
                    inspect(type, problems, seen);
                }
            }
            case ENUM -> {
                if (schema.getEnumDefault() == null) {
                    problems.add(schema.getName() + ": enums need a default symbol for forward compatibility");
                }
            }
            case UNION -> schema.getTypes().forEach(t -> inspect(t, problems, seen));
            case ARRAY -> inspect(schema.getElementType(), problems, seen);
            case MAP -> inspect(schema.getValueType(), problems, seen);
            default -> {
            }
        }
    }

    private static List<String> backwardProblems(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " " + i.getMessage() + " at " + i.getLocation()).toList();
    }

    private static Schema baseline(String topic) throws IOException {
        try (InputStream in = SchemaContractTest.class.getResourceAsStream("/contract-baseline/" + topic + ".avsc")) {
            assertNotNull(in, "no baseline for " + topic + ": snapshot its first published schema");
            Schema schema = new Schema.Parser().parse(in);
            assertTrue(schema.getType() == Schema.Type.RECORD);
            return schema;
        }
    }
}
