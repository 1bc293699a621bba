package org.lepistream.trainer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.trainer.TrainerConfig;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.RankPrediction;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.Route;
import org.lepistream.schemas.TaxonScore;
import org.lepistream.schemas.Timings;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.Verdict;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;
import org.lepistream.trainer.loop.LoopTopics;
import org.lepistream.trainer.store.DatasetStore;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.DatasetOptions;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.Sample;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * The trainer as a separate process, SIGKILLed twice while it ingests 300 labels and restarted each time: afterwards
 * every label is in the dataset store exactly once (one example, one labels.csv row, one readable photo each) and
 * no half-written file is left.
 */
@ExtendWith(LocalStackExtension.class)
class TrainerCrashIT {
    private static final int LABELS = 300;
    private static final int[] KILL_AT = {40, 150};

    @Test
    void killedDuringIngestionEveryLabelEndsUpStoredExactlyOnce(LocalStack stack, @TempDir Path work)
            throws Exception {
        Dataset data = Fixtures.butterflies(work.resolve("data"), 6);
        Taxonomy taxonomy = data.taxonomy();
        Path model = work.resolve("model");
        Fixtures.freshBundle(model, taxonomy, "it-crash", Map.of());
        LoopTopics topics = new LoopTopics("it-crash-" + System.nanoTime() + "-");
        topics.create(stack.clientConfig());

        Properties p = new Properties();
        stack.clientConfig().forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.application.id", topics.name("trainer"));
        p.setProperty("lepistream.work.dir", work.resolve("trainer").toString());
        p.setProperty("lepistream.model.name", "it-crash");
        p.setProperty("lepistream.model.initial", model.toString());
        p.setProperty("lepistream.validation.data", work.resolve("data").toString());
        p.setProperty("lepistream.retrain.labels", "1000000"); // ingestion only
        p.setProperty("lepistream.http.port", "-1");
        // Small polls: many commits, so the kills land between and inside them.
        p.setProperty("max.poll.records", "10");
        p.setProperty("session.timeout.ms", "6000");
        p.setProperty("heartbeat.interval.ms", "1500");
        topics.overrides(TrainerConfig.KEYS).forEach(p::setProperty);
        Path config = work.resolve("trainer.properties");
        try (Writer w = Files.newBufferedWriter(config)) {
            p.store(w, "crash test");
        }

        // Review requests carry photo + identification; then one label per reviewed sighting.
        List<Sample> photos = data.samples();
        int leaf = taxonomy.depth() - 1;
        Set<String> ids = new HashSet<>();
        try (ItClients io = new ItClients(stack.clientConfig())) {
            for (int i = 0; i < LABELS; i++) {
                Sample s = photos.get(i % photos.size());
                String id = "crash-" + i;
                ids.add(id);
                io.send(topics.name(Topics.EXPERT_REVIEW), id, ReviewRequest.class, review(id,
                        Files.readAllBytes(s.image()), taxonomy.name(leaf, (s.leaf() + i) % taxonomy.leafCount())));
            }
            io.flush();
            for (int i = 0; i < LABELS; i++) {
                Sample s = photos.get(i % photos.size());
                String id = "crash-" + i;
                io.send(topics.name(Topics.EXPERT_LABELS), id, ExpertLabel.class, ExpertLabel.newBuilder()
                        .setSightingId(id).setReviewerId("it").setLabelledAt(Instant.now()).setModelVersion("v0")
                        .setVerdict(Verdict.CORRECTED).setTaxon(taxonomy.name(leaf, s.leaf())).setRank("species")
                        .build());
            }
            io.flush();
        }

        Path examples = work.resolve("trainer/dataset/examples");
        List<Path> logs = new ArrayList<>();
        Process trainer = start(config, work, logs);
        try {
            for (int killAt : KILL_AT) {
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (count(examples) < killAt && System.nanoTime() < deadline && trainer.isAlive()) {
                    Thread.sleep(20);
                }
                int before = count(examples);
                assertTrue(before >= killAt, "no progress to " + killAt + " examples: " + tail(logs));
                assertTrue(before < LABELS, "ingestion finished before the kill at " + killAt);
                trainer.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no commit
                trainer = start(config, work, logs);
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (count(examples) < LABELS && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        } finally {
            trainer.destroyForcibly().waitFor();
        }

        DatasetStore store = new DatasetStore(work.resolve("trainer/dataset"));
        assertEquals(LABELS, store.size(), "examples after two SIGKILLs: " + tail(logs));
        Set<String> stored = new HashSet<>();
        store.examples().forEach(e -> assertTrue(stored.add(e.sightingId()), "twice: " + e.sightingId()));
        assertEquals(ids, stored, "every label exactly once");
        try (Stream<Path> files = Files.walk(work.resolve("trainer/dataset"))) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList(), "half-written files");
        }
        store.writeLabels(taxonomy.ranks());
        List<Sample> rows = Dataset.load(work.resolve("trainer/dataset"), DatasetOptions.defaults()
                .withTaxonomy(taxonomy)).samples();
        assertEquals(LABELS, rows.size(), "labels.csv rows");
        assertEquals(LABELS, rows.stream().map(Sample::id).distinct().count());
        ImageDecoder decoder = new ImageDecoder();
        for (Sample r : rows) {
            decoder.decode(r.image()); // every stored photo is whole
        }
        System.out.println("trainer crash test: " + LABELS + " labels, " + KILL_AT.length + " SIGKILLs, "
                + store.size() + " examples, " + rows.size() + " labels.csv rows");
    }

    private static ReviewRequest review(String id, byte[] jpeg, String predicted) {
        Identification ident = Identification.newBuilder().setSightingId(id).setModelVersion("v0")
                .setPredictions(List.of(new RankPrediction("species", List.of(new TaxonScore(predicted, 0.4)))))
                .setDecidedRank("species").setDecidedTaxon(predicted).setOverlap(0.2).setConfidence(0.4)
                .setRoute(Route.REVIEW).setReasons(List.of(ReviewReason.LOW_OVERLAP))
                .setTimings(new Timings(1L, 1L, 1L)).setProcessedAt(Instant.now()).build();
        return ReviewRequest.newBuilder().setIdentification(ident).setImage(ByteBuffer.wrap(jpeg))
                .setContentType("image/jpeg").setObserverId("it").setObservedAt(Instant.now()).build();
    }

    private static int count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    private static Process start(Path config, Path work, List<Path> logs) throws IOException {
        Path log = work.resolve("trainer-" + logs.size() + ".log");
        logs.add(log);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), "org.lepistream.trainer.cli.TrainerCli", "trainer",
                "--config", config.toString());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private static String tail(List<Path> logs) {
        try {
            List<String> lines = Files.readAllLines(logs.get(logs.size() - 1));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
