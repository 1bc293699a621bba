package org.lepistream.loadtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lepistream.loadtest.measure.LatencyTracker;
import org.lepistream.schemas.ModelRelease;
import org.lepistream.schemas.serde.AvroSerdes;

/**
 * A model release published in the middle of a load run, as the trainer would, and what it did to latency: p99 of
 * the results completed in the minute around it (30 s either side) against p99 of all other results.
 */
final class ReleaseDuringLoad {

    private static final Duration HALF_WINDOW = Duration.ofSeconds(30);

    private final Map<String, Object> kafka;
    private final Map<String, Object> serde;
    private final String topic;
    private final String model;
    private final Path bundle;
    private final long atResults;
    private volatile long publishedNanos = -1;

    ReleaseDuringLoad(Map<String, Object> kafka, Map<String, Object> serde, String topic, String model, Path bundle,
            long atResults) {
        this.kafka = kafka;
        this.serde = serde;
        this.topic = topic;
        this.model = model;
        this.bundle = bundle.toAbsolutePath().normalize();
        this.atResults = Math.max(1, atResults);
    }

    void onCompleted(long done, PrintWriter err) {
        if (publishedNanos >= 0 || done < atResults) {
            return;
        }
        publishedNanos = System.nanoTime();
        String version = version();
        ModelRelease release = ModelRelease.newBuilder().setModelName(model).setVersion(version)
                .setBundleUri(bundle.toUri().toString()).setThresholds(Map.of()).setCreatedAt(Instant.now()).build();
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, ModelRelease> producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerdes.specific(ModelRelease.class, serde).serializer())) {
            producer.send(new ProducerRecord<>(topic, model, release)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish the release of " + bundle + ": " + e.getMessage(), e);
        }
        err.println("  released " + model + "@" + version + " after " + done + " results");
        err.flush();
    }

    private String version() {
        try {
            JsonNode manifest = new ObjectMapper().readTree(bundle.resolve("bundle.json").toFile());
            return manifest.path("version").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + bundle.resolve("bundle.json"), e);
        }
    }

    /**
     * p99 in the minute around the release against the minute before and the minute after it (steady state on
     * either side, away from the run's start-up), and against all other results.
     */
    String summary(LatencyTracker tracker) {
        if (publishedNanos < 0) {
            return "release: never published (the run ended before " + atResults + " results)";
        }
        long half = HALF_WINDOW.toNanos();
        long from = publishedNanos - half;
        long to = publishedNanos + half;
        double around = tracker.percentileMillis(99, from, to, true);
        double before = tracker.percentileMillis(99, from - 2 * half, from, true);
        double after = tracker.percentileMillis(99, to, to + 2 * half, true);
        double rest = tracker.percentileMillis(99, from, to, false);
        double steady = Double.isNaN(before) ? after : Double.isNaN(after) ? before : Math.max(before, after);
        return String.format(Locale.ROOT, "release: p99 %.1f ms in the minute around it (%d results); the minute"
                + " before %.1f ms (%d), the minute after %.1f ms (%d), all other results %.1f ms; around / steady"
                + " (the larger of before and after) x%.2f", around, tracker.completedWithin(from, to), before,
                tracker.completedWithin(from - 2 * half, from), after, tracker.completedWithin(to, to + 2 * half),
                rest, around / steady);
    }
}
