package org.lepistream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** The writer schema of a record cannot be resolved into the reader's schema (e.g. a record of another type on the topic). */
public class SchemaMismatchException extends SerializationException {
    public SchemaMismatchException(String message) {
        super(message);
    }
}
