package org.lepistream.streams;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.lepistream.schemas.DeadLetter;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.serde.AvroSerdes;
import org.lepistream.streams.intake.ReceivedSightingDeserializer;

/** The service's topics and their serdes, wired in one place: String keys (sightingId), Avro values via the registry. */
public final class StreamsTopics {

    private final String sightings;
    private final String identifications;
    private final String review;
    private final String deadLetters;
    private final String releases;
    private final Map<String, Object> serdeConfig;

    public StreamsTopics(ServiceConfig config) {
        this.sightings = config.sightingsTopic();
        this.identifications = config.identificationsTopic();
        this.review = config.reviewTopic();
        this.deadLetters = config.deadLetterTopic();
        this.releases = config.releasesTopic();
        this.serdeConfig = config.clientConfig();
    }

    public String sightings() {
        return sightings;
    }

    public String identifications() {
        return identifications;
    }

    public String review() {
        return review;
    }

    public String deadLetters() {
        return deadLetters;
    }

    public String releases() {
        return releases;
    }

    /** Output topics, in the order the pipeline's outcomes are usually listed. */
    public List<String> outputs() {
        return List.of(identifications, review, deadLetters);
    }

    public Serde<String> keys() {
        return Serdes.String();
    }

    public ReceivedSightingDeserializer sightingDeserializer() {
        return new ReceivedSightingDeserializer(serdeConfig);
    }

    public Serializer<Identification> identificationSerializer() {
        return AvroSerdes.specific(Identification.class, serdeConfig).serializer();
    }

    public Serializer<ReviewRequest> reviewSerializer() {
        return AvroSerdes.specific(ReviewRequest.class, serdeConfig).serializer();
    }

    public Serializer<DeadLetter> deadLetterSerializer() {
        return AvroSerdes.specific(DeadLetter.class, serdeConfig).serializer();
    }

    /**
     * New topics for a fresh deployment or a test (the local stack creates the default names itself), laid out as the
     * catalogue says; only the sightings/identifications partition count is the caller's.
     */
    public List<NewTopic> newTopics(int sightingPartitions) {
        return List.of(
                like(Topics.SIGHTINGS, sightings, sightingPartitions),
                like(Topics.IDENTIFICATIONS, identifications, sightingPartitions),
                like(Topics.EXPERT_REVIEW, review, Topics.spec(Topics.EXPERT_REVIEW).partitions()),
                like(Topics.SIGHTINGS_DLQ, deadLetters, Topics.spec(Topics.SIGHTINGS_DLQ).partitions()),
                like(Topics.MODEL_RELEASES, releases, Topics.spec(Topics.MODEL_RELEASES).partitions()));
    }

    private static NewTopic like(String catalogueName, String name, int partitions) {
        return new NewTopic(name, partitions, (short) 1).configs(Topics.spec(catalogueName).configs());
    }
}
