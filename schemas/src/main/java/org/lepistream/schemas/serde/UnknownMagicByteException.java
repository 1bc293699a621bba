package org.lepistream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record value did not start with the Confluent wire-format magic byte 0: it was not written by a registry-aware serializer. */
public class UnknownMagicByteException extends SerializationException {
    private final String topic;
    private final int magicByte;

    public UnknownMagicByteException(String topic, int magicByte) {
        super(String.format("Unknown magic byte 0x%02x in a record of topic '%s': not Confluent wire format (expected 0x00)",
                magicByte & 0xff, topic));
        this.topic = topic;
        this.magicByte = magicByte & 0xff;
    }

    public String topic() {
        return topic;
    }

    public int magicByte() {
        return magicByte;
    }
}
