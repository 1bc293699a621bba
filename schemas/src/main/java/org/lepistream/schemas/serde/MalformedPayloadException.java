package org.lepistream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A wire-format record was truncated or its Avro body could not be decoded with its writer schema. */
public class MalformedPayloadException extends SerializationException {
    public MalformedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
