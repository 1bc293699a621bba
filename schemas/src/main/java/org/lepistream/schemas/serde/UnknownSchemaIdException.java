package org.lepistream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record referenced a schema id that the registry does not know (wrong registry, or the schema was deleted). */
public class UnknownSchemaIdException extends SerializationException {
    private final String topic;
    private final int schemaId;

    public UnknownSchemaIdException(String topic, int schemaId, Throwable cause) {
        super("Unknown schema id " + schemaId + " in a record of topic '" + topic
                + "': the schema registry has no schema with that id", cause);
        this.topic = topic;
        this.schemaId = schemaId;
    }

    public String topic() {
        return topic;
    }

    public int schemaId() {
        return schemaId;
    }
}
