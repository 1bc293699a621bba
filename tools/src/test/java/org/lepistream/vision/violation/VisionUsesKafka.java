package org.lepistream.vision.violation;

/** Breaks a rule on purpose, for ArchitectureTest: vision knowing of Kafka. */
public final class VisionUsesKafka {
    public static Class<?> record() {
        return org.apache.kafka.clients.producer.ProducerRecord.class;
    }
}
