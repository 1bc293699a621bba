package org.lepistream.loadtest.generator;

import java.time.Duration;
import java.util.List;

/**
 * One load run: where to send, where results appear, how many sightings at what rate (0 = flat out), how long to
 * wait for the last results and then for any duplicate.
 */
public record LoadSettings(String sightingsTopic, List<String> outputTopics, long count, double rate,
        Duration drainTimeout, Duration settle) {

    public LoadSettings {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        if (outputTopics.isEmpty()) {
            throw new IllegalArgumentException("at least one output topic is needed");
        }
        outputTopics = List.copyOf(outputTopics);
    }

    /** Topic names: the catalogue's, each with {@code prefix + "-"} in front when the prefix is not blank. */
    public static String topic(String prefix, String name) {
        return prefix == null || prefix.isBlank() ? name : prefix + "-" + name;
    }
}
