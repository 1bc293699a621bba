package org.lepistream.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.lepistream.schemas.TopicSpec;
import org.lepistream.schemas.Topics;

class PublishedSchemaTest {

    @Test
    void generatedClassesLoseOnlyTheirJavaProperties() {
        for (TopicSpec topic : Topics.ALL) {
            String java = topic.valueSchema().toString();
            String published = PublishedSchema.text(topic.valueSchema());
            assertTrue(java.contains("avro.java.string"), topic.name() + " is generated with String strings");
            assertFalse(published.contains("avro.java."), published);
            assertFalse(published.contains("java-class"), published);
            // Same parsing form (what readers resolve on), same docs and defaults: only the Java hints went.
            assertEquals(SchemaNormalization.toParsingForm(topic.valueSchema()),
                    SchemaNormalization.toParsingForm(PublishedSchema.of(topic.valueSchema())), topic.name());
            assertEquals(topic.valueSchema().getDoc(), topic.publishedValueSchema().getDoc());
            assertEquals(topic.valueSchema().getFields().size(), topic.publishedValueSchema().getFields().size());
        }
    }

    @Test
    void aSchemaWithoutJavaPropertiesIsReturnedAsIs() {
        Schema plain = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"s\","
                + "\"type\":\"string\"}]}");
        assertSame(plain, PublishedSchema.of(plain));
    }

    @Test
    void defaultsAreDataAndKeepKeysNamedLikeTheProperties() {
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"m\","
                + "\"type\":{\"type\":\"map\",\"values\":{\"type\":\"string\",\"avro.java.string\":\"String\"},"
                + "\"java-key-class\":\"java.io.File\"},\"default\":{\"avro.java.string\":\"kept\"}}]}");
        Schema published = PublishedSchema.of(schema);
        assertEquals(Map.of("avro.java.string", "kept"), published.getField("m").defaultVal());
        assertEquals(Schema.create(Schema.Type.STRING), published.getField("m").schema().getValueType());
        assertTrue(published.getField("m").schema().getObjectProps().isEmpty(), published.toString());
    }
}
