package org.lepistream.review.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.review.ConsoleConfig;
import org.lepistream.review.Fixtures;
import org.lepistream.review.StackTopics;
import org.lepistream.review.claims.Claims;
import org.lepistream.review.labels.Decision;
import org.lepistream.review.labels.KafkaLabelSink;
import org.lepistream.review.labels.LabelDesk;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.Route;
import org.lepistream.schemas.Timings;
import org.lepistream.schemas.Verdict;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;

/** The queue on a real broker and registry: requests minus labels, kept across restarts, and one label per sighting. */
@ExtendWith(LocalStackExtension.class)
class ReviewQueueIT {

    private static final AtomicInteger RUN = new AtomicInteger();
    private static LocalStack stack;

    @TempDir
    Path work;

    @BeforeAll
    static void setUp(LocalStack localStack) {
        stack = localStack;
    }

    private ConsoleConfig config(StackTopics topics, String appId, Path stateDir) {
        Properties p = topics.consoleProperties();
        p.setProperty("lepistream.application.id", appId);
        p.setProperty("lepistream.state.dir", stateDir.toString());
        return ConsoleConfig.of(p);
    }

    private static ReviewRequest request(String id, String species, ReviewReason reason, double overlap) {
        return Fixtures.request(id, species, reason, overlap, "v1", Instant.now(), Fixtures.photo(id.hashCode()));
    }

    private static ExpertLabel label(String id, String reviewer) {
        return ExpertLabel.newBuilder().setSightingId(id).setReviewerId(reviewer).setVerdict(Verdict.CONFIRMED)
                .setTaxon("Vanessa").setRank("genus").setLabelledAt(Instant.now()).build();
    }

    private static Set<String> pendingIds(ReviewQueue q) {
        Set<String> ids = new TreeSet<>();
        q.pending().forEach(i -> ids.add(i.sightingId()));
        return ids;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, condition, () -> "");
    }

    private static void await(String what, BooleanSupplier condition, java.util.function.Supplier<Object> seen)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what + "; seen " + seen.get());
            }
            Thread.sleep(100);
        }
    }

    @Test
    void theQueueIsRequestsMinusLabelsAndSurvivesRestarts() throws Exception {
        String prefix = "rq-" + RUN.incrementAndGet();
        try (StackTopics topics = new StackTopics(stack, prefix)) {
            for (String id : List.of("a", "b", "c")) {
                topics.send(topics.review, id, ReviewRequest.class, request(id, "Vanessa cardui",
                        ReviewReason.LOW_OVERLAP, 0.21));
            }
            topics.sendRaw(topics.review, "garbage", new byte[] {0, 0, 0, 0, 99, 1, 2});
            topics.send(topics.labels, "b", ExpertLabel.class, label("b", "alice"));
            topics.send(topics.identifications, "z", Identification.class, Identification.newBuilder()
                    .setSightingId("z").setModelVersion("v1").setPredictions(List.of()).setDecidedRank("species")
                    .setDecidedTaxon("Pieris rapae").setOverlap(0.97).setConfidence(0.99).setRoute(Route.IDENTIFIED)
                    .setReasons(List.of()).setTimings(new Timings(1L, 1L, 1L)).setProcessedAt(Instant.now()).build());

            Path state = work.resolve("state");
            try (ReviewQueue q = new ReviewQueue(config(topics, prefix, state))) {
                q.start();
                assertTrue(q.awaitRunning(Duration.ofSeconds(60)), "queue did not start: " + q.state());
                await("a and c queued, b labelled", () -> pendingIds(q).equals(Set.of("a", "c"))
                        && q.outcome("b").isPresent(), () -> pendingIds(q) + " " + q.outcomes());
                Outcome b = q.outcome("b").orElseThrow();
                assertEquals("alice", b.reviewerId());
                assertEquals("Vanessa", b.modelTop().get("genus"), "the outcome keeps what the model said");
                assertNotNull(q.request("a").orElseThrow().getImage(), "the full request with its photo");
                await("counters", () -> q.stats().getOrDefault(Stats.UNDECODABLE_REQUESTS, 0L) == 1
                        && q.stats().getOrDefault(Stats.overlapBucket(Stats.ACCEPTED_OVERLAP, 0.97), 0L) == 1
                        && q.stats().getOrDefault(Stats.overlapBucket(Stats.REVIEW_OVERLAP, 0.21), 0L) == 3,
                        q::stats);
            }

            // While the console is down, c is labelled and a redelivered request for b arrives.
            topics.send(topics.labels, "c", ExpertLabel.class, label("c", "bob"));
            topics.send(topics.review, "b", ReviewRequest.class, request("b", "Vanessa cardui",
                    ReviewReason.LOW_OVERLAP, 0.21));
            try (ReviewQueue q = new ReviewQueue(config(topics, prefix, state))) {
                q.start();
                assertTrue(q.awaitRunning(Duration.ofSeconds(60)), "queue did not restart: " + q.state());
                await("only a left after the restart", () -> pendingIds(q).equals(Set.of("a"))
                        && q.outcome("c").isPresent(), () -> pendingIds(q) + " " + q.outcomes());
            }
            // A new machine (empty state dir, same application id) rebuilds the queue from its changelog.
            try (ReviewQueue q = new ReviewQueue(config(topics, prefix, work.resolve("new-machine")))) {
                q.start();
                assertTrue(q.awaitRunning(Duration.ofSeconds(60)), "queue did not restore: " + q.state());
                assertEquals(Set.of("a"), pendingIds(q), "restored before RUNNING, not rebuilt from scratch later");
                assertEquals(Set.of("b", "c"), new TreeSet<>(q.outcomes().stream().map(Outcome::sightingId).toList()));
            }
        }
    }

    @Test
    void concurrentSubmissionsYieldExactlyOneLabel() throws Exception {
        String prefix = "desk-" + RUN.incrementAndGet();
        try (StackTopics topics = new StackTopics(stack, prefix)) {
            topics.send(topics.review, "s1", ReviewRequest.class, request("s1", "Vanessa cardui",
                    ReviewReason.LOW_CONFIDENCE, 0.5));
            topics.send(topics.review, "s2", ReviewRequest.class, request("s2", "Pieris rapae",
                    ReviewReason.LOW_CONFIDENCE, 0.5));
            ConsoleConfig config = config(topics, prefix, work.resolve("state"));
            Claims claims = new Claims(Clock.systemUTC(), Duration.ofMinutes(5));
            try (ReviewQueue q = new ReviewQueue(config);
                    KafkaLabelSink sink = new KafkaLabelSink(config.clientConfig(), config.labelsTopic())) {
                q.start();
                assertTrue(q.awaitRunning(Duration.ofSeconds(60)));
                await("both queued", () -> pendingIds(q).equals(Set.of("s1", "s2")));
                LabelDesk desk = new LabelDesk(q, claims, Fixtures.TAXONOMY, sink, Clock.systemUTC());
                claims.claim("s1", "alice");

                ExecutorService pool = Executors.newFixedThreadPool(6);
                List<Future<LabelDesk.Result>> results = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    Callable<LabelDesk.Result> submit = () -> desk.submit("s1", "alice",
                            Decision.parse("label", "Vanessa atalanta", "species", "double click"));
                    results.add(pool.submit(submit));
                }
                Map<LabelDesk.Status, Integer> counts = new java.util.EnumMap<>(LabelDesk.Status.class);
                for (Future<LabelDesk.Result> r : results) {
                    counts.merge(r.get().status(), 1, Integer::sum);
                }
                pool.shutdown();
                assertEquals(Map.of(LabelDesk.Status.RECORDED, 1, LabelDesk.Status.ALREADY_LABELLED, 5), counts);

                claims.claim("s2", "bob");
                assertEquals(LabelDesk.Status.CLAIMED_BY_OTHER, desk.submit("s2", "alice",
                        Decision.parse("unidentifiable", null, null, null)).status());
                assertEquals(LabelDesk.Status.NOT_QUEUED, desk.submit("nope", "alice",
                        Decision.parse("unidentifiable", null, null, null)).status());

                await("the queue took the label in", () -> q.outcome("s1").isPresent());
                assertEquals(LabelDesk.Status.ALREADY_LABELLED, desk.submit("s1", "alice",
                        Decision.parse("confirm", "Vanessa", "genus", null)).status(), "a retry after the queue moved on");

                List<ExpertLabel> labels = topics.labels(Duration.ofSeconds(3));
                assertEquals(1, labels.size(), "exactly one label on the topic: " + labels);
                ExpertLabel l = labels.get(0);
                assertEquals("s1", l.getSightingId());
                assertEquals("alice", l.getReviewerId());
                assertEquals(Verdict.CORRECTED, l.getVerdict(), "the model said Vanessa cardui");
                assertEquals("Vanessa atalanta", l.getTaxon());
                assertEquals("species", l.getRank());
                assertEquals("v1", l.getModelVersion());
                assertEquals("double click", l.getNote());
            }
        }
    }
}
