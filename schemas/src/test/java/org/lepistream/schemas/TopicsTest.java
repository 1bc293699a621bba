package org.lepistream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void catalogueHasEveryTopicOnceWithItsContract() {
        assertEquals(List.of("sightings", "identifications", "expert-review", "expert-labels", "model-releases",
                "sightings-dlq"), Topics.ALL.stream().map(TopicSpec::name).toList());
        assertEquals(Sighting.class, Topics.spec(Topics.SIGHTINGS).valueClass());
        assertEquals(Identification.class, Topics.spec(Topics.IDENTIFICATIONS).valueClass());
        assertEquals(ReviewRequest.class, Topics.spec(Topics.EXPERT_REVIEW).valueClass());
        assertEquals(ExpertLabel.class, Topics.spec(Topics.EXPERT_LABELS).valueClass());
        assertEquals(ModelRelease.class, Topics.spec(Topics.MODEL_RELEASES).valueClass());
        assertEquals(DeadLetter.class, Topics.spec(Topics.SIGHTINGS_DLQ).valueClass());
        assertEquals("sightings-value", Topics.spec(Topics.SIGHTINGS).valueSubject());
        assertEquals(Sighting.getClassSchema(), Topics.spec(Topics.SIGHTINGS).valueSchema());
    }

    @Test
    void modelReleasesAreCompactedAndSightingsHaveSixPartitions() {
        NewTopic releases = Topics.spec(Topics.MODEL_RELEASES).toNewTopic();
        assertEquals("compact", releases.configs().get("cleanup.policy"));
        NewTopic sightings = Topics.spec(Topics.SIGHTINGS).toNewTopic();
        assertEquals(6, sightings.numPartitions());
        assertEquals(-1, sightings.replicationFactor(), "broker default replication factor");
        assertEquals("delete", sightings.configs().get("cleanup.policy"));
        assertEquals(String.valueOf(7L * 24 * 3600 * 1000), sightings.configs().get("retention.ms"));
        assertEquals(3, Topics.spec(Topics.SIGHTINGS).toNewTopic((short) 3).replicationFactor());
        assertFalse(Topics.ALL.stream().filter(t -> !t.name().equals(Topics.MODEL_RELEASES)).anyMatch(TopicSpec::compacted));
    }

    @Test
    void expertLabelsNeverExpire() {
        assertEquals(-1, Topics.spec(Topics.EXPERT_LABELS).retentionMs());
    }

    @Test
    void unknownTopicListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.spec("sighting"));
        assertTrue(e.getMessage().contains("sightings-dlq"), e.getMessage());
    }

    @Test
    void specRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new TopicSpec("t", 0, -1, false, Sighting.class));
        assertThrows(IllegalArgumentException.class, () -> new TopicSpec("t", 1, 0, false, Sighting.class));
    }
}
