package org.lepistream.streams.intake;

/**
 * Where a sighting record came from; travels with it through the pipeline because results forwarded later (from
 * a punctuation) no longer have the source record's metadata in the processor context.
 */
public record Origin(String topic, int partition, long offset, long timestamp, String key) {}
