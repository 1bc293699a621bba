package org.lepistream.review.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.review.ConsoleConfig;
import org.lepistream.review.Fixtures;
import org.lepistream.review.StackTopics;
import org.lepistream.review.claims.Claims;
import org.lepistream.review.labels.KafkaLabelSink;
import org.lepistream.review.labels.LabelDesk;
import org.lepistream.review.queue.ReviewQueue;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.Verdict;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;

/** The demo's simulated reviewer on a real broker: answers from the truth file, through the desk, as "auto". */
@ExtendWith(LocalStackExtension.class)
class SimulatedReviewerIT {

    @Test
    void labelsWhatTheTruthFileAnswersThroughTheDeskAndLeavesTheRest(LocalStack stack, @TempDir Path work)
            throws Exception {
        try (StackTopics topics = new StackTopics(stack, "auto-" + System.nanoTime())) {
            for (String id : new String[] {"right", "wrong", "claimed", "late", "unknown-taxon"}) {
                // The model put Vanessa cardui first for every one of them.
                topics.send(topics.review, id, ReviewRequest.class, Fixtures.request(id, "Vanessa cardui",
                        ReviewReason.LOW_CONFIDENCE, 0.5, "v1", Instant.now(), Fixtures.photo(id.hashCode())));
            }
            Path truth = work.resolve("truth.csv");
            Files.writeString(truth, "sighting_id,rank,taxon\nright,species,Vanessa cardui\n"
                    + "wrong,species,Pieris rapae\nclaimed,species,Danaus plexippus\n"
                    + "unknown-taxon,species,Papilio nowhere\nlate,spec", StandardCharsets.UTF_8);
            Properties p = topics.consoleProperties();
            p.setProperty("lepistream.application.id", "auto-" + System.nanoTime());
            p.setProperty("lepistream.state.dir", work.resolve("state").toString());
            ConsoleConfig config = ConsoleConfig.of(p);
            Claims claims = new Claims(Clock.systemUTC(), Duration.ofMinutes(5));
            try (ReviewQueue queue = new ReviewQueue(config);
                    KafkaLabelSink sink = new KafkaLabelSink(config.clientConfig(), config.labelsTopic())) {
                queue.start();
                assertTrue(queue.awaitRunning(Duration.ofSeconds(60)));
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (queue.pending().size() < 5 && System.nanoTime() < end) {
                    Thread.sleep(100);
                }
                assertEquals(5, queue.pending().size());
                LabelDesk desk = new LabelDesk(queue, claims, Fixtures.TAXONOMY, sink, Clock.systemUTC());
                claims.claim("claimed", "alice"); // a person opened it: the simulated reviewer keeps off

                SimulatedReviewer patient = new SimulatedReviewer(queue, desk, truth, 1.0, Duration.ofHours(1),
                        Clock.systemUTC());
                assertEquals(0, patient.review(), "nothing is taken before it has waited the think time");

                SimulatedReviewer auto = new SimulatedReviewer(queue, desk, truth, 1.0, Duration.ZERO,
                        Clock.systemUTC());
                assertEquals(2, auto.review(), "right and wrong; 'late' has only half a line so far");
                Files.writeString(truth, "ies,Vanessa atalanta\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                assertEquals(1, auto.review(), "the completed line answers 'late'");
                assertEquals(0, auto.review(), "nothing twice; the claimed one and the unknown taxon stay");

                Map<String, ExpertLabel> labels = new TreeMap<>();
                topics.labels(Duration.ofSeconds(3)).forEach(l -> labels.put(l.getSightingId(), l));
                assertEquals(java.util.Set.of("right", "wrong", "late"), labels.keySet());
                labels.values().forEach(l -> {
                    assertEquals(SimulatedReviewer.REVIEWER, l.getReviewerId());
                    assertEquals(SimulatedReviewer.NOTE, l.getNote());
                    assertEquals("v1", l.getModelVersion());
                });
                assertEquals(Verdict.CONFIRMED, labels.get("right").getVerdict());
                assertEquals(Verdict.CORRECTED, labels.get("wrong").getVerdict());
                assertEquals("Pieris rapae", labels.get("wrong").getTaxon());
                assertEquals("Vanessa atalanta", labels.get("late").getTaxon());
                assertEquals(3, auto.labelled());
            }
        }
    }
}
