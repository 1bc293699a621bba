package org.lepistream.schemas;

import static org.lepistream.schemas.serde.Compatibility.FULL_TRANSITIVE;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Catalogue of lepistream's topics. Keys are String (StringSerde): the sightingId everywhere, the model name on
 * model-releases, the original record key on sightings-dlq. Values are Avro in Confluent wire format.
 */
public final class Topics {
    public static final String SIGHTINGS = "sightings";
    public static final String IDENTIFICATIONS = "identifications";
    public static final String EXPERT_REVIEW = "expert-review";
    public static final String EXPERT_LABELS = "expert-labels";
    public static final String MODEL_RELEASES = "model-releases";
    public static final String SIGHTINGS_DLQ = "sightings-dlq";

    private static final long DAY = Duration.ofDays(1).toMillis();

    /**
     * Every topic with its layout and the compatibility of its value subject. sightings' partition count bounds the
     * classifier's parallelism.
     *
     * <p>Compatibility is FULL_TRANSITIVE everywhere: each of these topics has writers and readers that upgrade
     * independently (citizen-science apps write sightings and, with the console, expert labels; dashboards, the console
     * and the trainer read what we write), so a new version must be readable by every old reader and must read every
     * old record. BACKWARD alone let a producer drop {@code sightingId} and dead-letter everything it sent. A topic
     * that needs a weaker level says why here.
     */
    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(SIGHTINGS, 6, 7 * DAY, false, Sighting.class, FULL_TRANSITIVE),
            new TopicSpec(IDENTIFICATIONS, 6, 30 * DAY, false, Identification.class, FULL_TRANSITIVE),
            // Reviews can wait on volunteer experts for weeks.
            new TopicSpec(EXPERT_REVIEW, 3, 60 * DAY, false, ReviewRequest.class, FULL_TRANSITIVE),
            // Expert labels are the training set: never expire them (and every version stays readable forever).
            new TopicSpec(EXPERT_LABELS, 3, -1, false, ExpertLabel.class, FULL_TRANSITIVE),
            // Compacted: the latest release per model name is what a restarting classifier loads.
            new TopicSpec(MODEL_RELEASES, 1, -1, true, ModelRelease.class, FULL_TRANSITIVE),
            // Operators' tools replay dead letters long after they were written, with whatever version they have.
            new TopicSpec(SIGHTINGS_DLQ, 1, 30 * DAY, false, DeadLetter.class, FULL_TRANSITIVE));

    private Topics() {
    }

    /** The spec of a topic by name; IllegalArgumentException listing the known names otherwise. */
    public static TopicSpec spec(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "Unknown topic '" + name + "'; known topics: "
                        + ALL.stream().map(TopicSpec::name).collect(Collectors.joining(", "))));
    }
}
