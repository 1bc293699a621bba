package org.lepistream.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.DeadLetter;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.schemas.Heatmap;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ModelRelease;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.Route;
import org.lepistream.schemas.Sighting;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.data.SampleCache;
import org.lepistream.vision.evaluation.BackgroundSwap;
import org.lepistream.vision.evaluation.NoButterflyCheck;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.vision.synthetic.GenerateOptions;
import org.lepistream.vision.synthetic.SyntheticButterflies;
import org.lepistream.vision.training.NoButterflyTuning;
import org.lepistream.vision.training.SegmenterTrainer;
import org.lepistream.vision.training.TrainedSegmenter;

/**
 * The service on a real broker and a real registry with a real (freshly initialised) DJL model: exactly one output
 * per sighting, dead letters for every kind of bad input, and a model hot-swap mid-stream.
 */
@ExtendWith(LocalStackExtension.class)
class IdentificationServiceIT {

    private static final String MODEL = "lepistream-it";
    private static final AtomicInteger RUN = new AtomicInteger();

    @TempDir
    static Path work;
    private static LocalStack stack;
    private static StackClients clients;
    private static Path modelV1;
    private static String versionV1;

    @BeforeAll
    static void setUp(LocalStack localStack) throws Exception {
        stack = localStack;
        clients = new StackClients(stack.clientConfig());
        modelV1 = work.resolve("models/v1");
        // Species and genus always "confident" (a fresh network is near uniform), so routing is decided by the
        // overlap threshold: some sightings are identified, some go to review.
        versionV1 = FreshBundles.write(modelV1, MODEL, Map.of("family", 0.0, "genus", 0.0, "species", 0.0,
                "overlap", 0.5));
    }

    @AfterAll
    static void tearDown() {
        if (clients != null) {
            clients.close();
        }
    }

    /** Configuration of one service instance with its own topics and application id. */
    private static ServiceConfig config(String name, Map<String, String> extra) {
        String prefix = "it-" + name + "-" + RUN.incrementAndGet();
        Properties p = new Properties();
        stack.clientConfig().forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.application.id", prefix);
        p.setProperty("lepistream.model.name", MODEL);
        p.setProperty("lepistream.model.dir", modelV1.toString());
        p.setProperty("lepistream.model.store", work.resolve("models").toString());
        p.setProperty("lepistream.http.port", "0");
        p.setProperty("lepistream.batch.max-size", "8");
        p.setProperty("lepistream.batch.max-queue-delay-ms", "30");
        p.setProperty("lepistream.state.dir", work.resolve("state-" + prefix).toString());
        for (String t : List.of("sightings", "identifications", "expert-review", "sightings-dlq", "model-releases")) {
            p.setProperty("lepistream.topic." + t, prefix + "-" + t);
        }
        extra.forEach(p::setProperty);
        return ServiceConfig.of(p);
    }

    private static IdentificationService start(ServiceConfig config) throws Exception {
        StreamsTopics topics = new StreamsTopics(config);
        clients.createTopics(topics.newTopics(3));
        IdentificationService service = new IdentificationService(config);
        service.start();
        assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "service did not reach RUNNING: " + service.status());
        return service;
    }

    private static Sighting.Builder sighting(String id) {
        return Sighting.newBuilder().setSightingId(id).setObserverId("observer-" + id.hashCode() % 7)
                .setObservedAt(Instant.now()).setSource("it").setContentType("image/jpeg");
    }

    private static byte[] good(String topic, String id, long seed) {
        return clients.avro(Sighting.class, topic, sighting(id)
                .setImage(ByteBuffer.wrap(TestImages.jpeg(64 + (int) (seed % 5) * 8, 64, seed))).build());
    }

    @Test
    void everySightingYieldsExactlyOneOutputCarryingTheModelVersion() throws Exception {
        ServiceConfig config = config("exactly-once", Map.of());
        try (IdentificationService service = start(config)) {
            StreamsTopics topics = service.topics();
            int n = 60;
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < n; i++) {
                String id = "s-" + i;
                ids.add(id);
                clients.sendAsync(topics.sightings(), id, good(topics.sightings(), id, i));
            }
            clients.flush();
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= n, Duration.ofSeconds(90),
                    Duration.ofSeconds(3));

            assertEquals(n, out.total(), "outputs across the three topics");
            assertEquals(ids, new HashSet<>(out.keys()), "one output per sighting, keyed by sightingId");
            assertEquals(0, out.deadLetters().size());
            for (Identification id : out.identifications()) {
                assertEquals(versionV1, id.getModelVersion());
                assertEquals(List.of("family", "genus", "species"),
                        id.getPredictions().stream().map(p -> p.getRank()).toList());
                assertTrue(id.getOverlap() >= 0 && id.getOverlap() <= 1);
                assertEquals(id.getRoute() == Route.IDENTIFIED, id.getReasons().isEmpty());
            }
            for (ConsumerRecord<String, ReviewRequest> r : out.review()) {
                ReviewRequest rr = r.value();
                assertTrue(rr.getImage() != null && rr.getImage().remaining() > 0, "review carries the photo");
                assertReviewMaps(rr);
            }
            // Batching really happened: more images than batches.
            assertTrue(service.metrics().batchSize.sum() > service.metrics().batchSize.count(),
                    "mean batch size should exceed 1: " + service.metrics().batchSize.sum() + " images in "
                            + service.metrics().batchSize.count() + " batches");
            String metrics = http(service.healthPort(), "/metrics");
            assertTrue(metrics.contains("lepistream_model_info{version=\"" + versionV1 + "\"}"), metrics);
            assertTrue(http(service.healthPort(), "/ready").startsWith("state=RUNNING"));
            // The batching buffer's changelog holds references to the sightings, not their photos a second time.
            long sightingBytes = clients.topicBytes(topics.sightings());
            long bufferBytes = clients.topicBytes(config.applicationId() + "-" + IdentificationService.BUFFER
                    + "-changelog");
            Map<String, Long> written = clients.topicBytes(t -> t.startsWith(config.applicationId() + "-"));
            System.out.println("broker bytes per sighting, by topic: " + written.entrySet().stream().collect(
                    Collectors.toMap(e -> e.getKey().substring(config.applicationId().length() + 1),
                            e -> e.getValue() / n, (a, b) -> a, TreeMap::new)) + "; per review request: "
                    + written.getOrDefault(topics.review(), 0L) / Math.max(1, out.review().size()) + " bytes ("
                    + out.review().size() + " requests)");
            assertTrue(bufferBytes > 0 && bufferBytes * 4 < sightingBytes, "buffer changelog " + bufferBytes
                    + " bytes for " + sightingBytes + " bytes of sightings");
        }
    }

    /**
     * An upstream that retries: every sighting sent twice (half the copies right behind the first, so both are in the
     * batching buffer at once; half after the decision), and a corrupt photo resent fixed. One decision each.
     */
    @Test
    void aSightingSentAgainGetsNoSecondDecision() throws Exception {
        ServiceConfig config = config("repeats", Map.of());
        try (IdentificationService service = start(config)) {
            StreamsTopics topics = service.topics();
            String t = topics.sightings();
            int n = 20;
            for (int i = 0; i < n; i++) {
                clients.sendAsync(t, "r-" + i, good(t, "r-" + i, i));
                if (i % 2 == 0) {
                    clients.sendAsync(t, "r-" + i, good(t, "r-" + i, i));
                }
            }
            clients.send(t, "fixed", clients.avro(Sighting.class, t, sighting("fixed")
                    .setImage(ByteBuffer.wrap(TestImages.corruptJpeg())).build()));
            clients.flush();
            clients.awaitOutputs(topics, o -> o.total() >= n + 1, Duration.ofSeconds(90), Duration.ZERO);
            for (int i = 1; i < n; i += 2) {
                clients.sendAsync(t, "r-" + i, good(t, "r-" + i, i));
            }
            clients.send(t, "fixed", good(t, "fixed", 7));
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= n + 2, Duration.ofSeconds(90),
                    Duration.ofSeconds(5));

            Map<String, Long> decisions = new TreeMap<>();
            out.identified().forEach(r -> decisions.merge(r.key(), 1L, Long::sum));
            out.review().forEach(r -> decisions.merge(r.key(), 1L, Long::sum));
            assertEquals(n + 1, decisions.size(), "every sighting decided: " + decisions);
            assertTrue(decisions.values().stream().allMatch(c -> c == 1), "one decision each: " + decisions);
            assertEquals(1, out.deadLetters().size(), "the corrupt first copy of 'fixed'");
            assertEquals(n, service.metrics().repeats.total(), "repeats counted");
            String metrics = http(service.healthPort(), "/metrics");
            assertTrue(metrics.contains("lepistream_repeated_sightings_total{stage=\"intake\"}"), metrics);
        }
    }

    /**
     * Issue 16's symptom made by hand: the group's committed offsets go back to the start of every partition after
     * all sightings were decided, and the next instance (its local state gone, so the memory of decisions comes back
     * from the changelog) reads everything again. No second output; every re-read is counted as one, apart from
     * source repeats; sightings sent afterwards are still decided.
     */
    @Test
    void recordsReadAgainAfterTheGroupsOffsetsWentBackGetNoSecondOutput() throws Exception {
        ServiceConfig config = config("offsets-back", Map.of());
        StreamsTopics topics = new StreamsTopics(config);
        String t = topics.sightings();
        int n = 45;
        try (IdentificationService service = start(config)) {
            for (int i = 0; i < n; i++) {
                clients.sendAsync(t, "b-" + i, good(t, "b-" + i, i));
            }
            clients.flush();
            clients.awaitOutputs(topics, o -> o.total() >= n, Duration.ofSeconds(90), Duration.ofSeconds(2));
        }
        Map<TopicPartition, OffsetAndMetadata> rewound = new HashMap<>();
        try (Admin admin = Admin.create(stack.clientConfig())) {
            String group = config.applicationId();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            committed.keySet().stream().filter(tp -> tp.topic().equals(t))
                    .forEach(tp -> rewound.put(tp, new OffsetAndMetadata(0)));
            assertEquals(3, rewound.size(), "committed offsets of the sightings partitions: " + committed);
            admin.alterConsumerGroupOffsets(group, rewound).all().get();
        }
        ServiceConfig next = config.with(Map.of("lepistream.state.dir",
                work.resolve("state-offsets-back-next").toString()));
        try (IdentificationService service = new IdentificationService(next)) {
            service.start();
            assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "not RUNNING: " + service.status());
            int m = 6;
            for (int i = n; i < n + m; i++) {
                clients.sendAsync(t, "b-" + i, good(t, "b-" + i, i));
            }
            clients.flush();
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= n + m,
                    Duration.ofSeconds(90), Duration.ofSeconds(5));
            Map<String, Long> perSighting = new TreeMap<>();
            out.keys().forEach(k -> perSighting.merge(k, 1L, Long::sum));
            assertEquals(n + m, perSighting.size(), "every sighting has an output: " + perSighting);
            assertTrue(perSighting.values().stream().allMatch(c -> c == 1), "one output each: " + perSighting);
            assertEquals(n, service.metrics().rereads.total(), "every record read again is counted as a re-read");
            assertEquals(0, service.metrics().repeats.total(), "a re-read is not a source repeat");
            String metrics = http(service.healthPort(), "/metrics");
            assertTrue(metrics.contains("lepistream_reread_sightings_total{stage=\"intake\"} " + n), metrics);
        }
    }

    /**
     * The cascade at its extreme (every species probability clears 0): no sighting is segmented, the overlap is not
     * measured (NaN) and so never sends one to review, although this model's overlap threshold is 0.5.
     */
    @Test
    void theCascadeAcceptsOnConfidenceWithoutRunningTheSegmenter() throws Exception {
        acceptedWithoutSegmenting(config("cascade", Map.of("lepistream.overlap.mask-free-above", "0",
                "lepistream.audit.share", "0")));
    }

    /** The same cascade carried by the model itself (as the bundles and releases the trainer writes carry it). */
    @Test
    void aModelServesWithItsOwnCascadeThreshold() throws Exception {
        Path own = work.resolve("models/own-cascade");
        FreshBundles.write(own, MODEL, Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.99,
                "overlap.mask-free-above", 0.0));
        acceptedWithoutSegmenting(config("own-cascade", Map.of("lepistream.audit.share", "0",
                "lepistream.model.dir", own.toString())));
    }

    private void acceptedWithoutSegmenting(ServiceConfig config) throws Exception {
        try (IdentificationService service = start(config)) {
            StreamsTopics topics = service.topics();
            int n = 16;
            for (int i = 0; i < n; i++) {
                clients.sendAsync(topics.sightings(), "c-" + i, good(topics.sightings(), "c-" + i, i));
            }
            clients.flush();
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= n, Duration.ofSeconds(90),
                    Duration.ofSeconds(2));
            assertEquals(n, out.identified().size(), "all accepted on confidence: " + out.review().size()
                    + " reviews");
            for (Identification id : out.identifications()) {
                assertTrue(Double.isNaN(id.getOverlap()), "overlap not measured: " + id.getOverlap());
                assertEquals(List.of(), id.getReasons());
            }
        }
    }

    /**
     * Background-only photos (the butterfly erased, as the background swap's donors) from a segmenter that learnt
     * from experts' NOT_A_BUTTERFLY photos: they go to review as NO_BUTTERFLY, at a threshold measured on other photos
     * the way {@code evaluate --no-butterfly} measures it, while most photos with a butterfly do not.
     */
    @Test
    void backgroundOnlyPhotosGoToReviewAsNoButterfly() throws Exception {
        SyntheticButterflies.generate(work.resolve("nb-data"), new GenerateOptions(2, 2, 1, 0, 16, 48, 7, 0.25));
        Dataset data = Dataset.load(work.resolve("nb-data"));
        List<Sample> train = data.split("train");
        SegmenterConfig net = SegmenterConfig.quick().withInputSize(32);
        Path untrained = work.resolve("models/nb-untrained");
        ModelBundle.writeUntrained(untrained, MODEL, data.taxonomy(),
                ClassifierConfig.quick(data.taxonomy().leafCount()).withInputSize(32), net,
                Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.0));
        Path model = work.resolve("models/nb");
        List<Sample> experts = erased(train.subList(0, 16), work.resolve("nb-empty"), data.taxonomy().depth());
        try (ModelBundle b = ModelBundle.load(untrained);
                TrainedSegmenter base = new SegmenterTrainer(net, 8, 8, 2e-3, 3).withProgress(null)
                        .train(SampleCache.build(train, 40), SampleCache.build(List.of(), 32));
                TrainedSegmenter tuned = new NoButterflyTuning(4, 3, 1e-3, 3).tune(
                        (Segmenter) base.model().getBlock(), train, experts, null)) {
            ModelBundle.of(b.manifest(), b.taxonomy(), b.classifier(), (Segmenter) tuned.model().getBlock())
                    .save(model);
        }
        double threshold;
        try (ModelBundle b = ModelBundle.load(model)) {
            // Measured on train photos the tuning did not see; the stream below is the val split.
            threshold = NoButterflyCheck.measure(b, train.subList(16, train.size())).threshold(0.1);
        }
        assertTrue(threshold > 0, "the segmenter is sure of some butterfly pixels");
        ServiceConfig config = config("background-only", Map.of("lepistream.model.dir", model.toString(),
                "lepistream.no-butterfly.max-mask-area", Double.toString(threshold), "lepistream.audit.share", "0"));
        List<Sample> val = data.split("val");
        List<Sample> backgrounds = erased(val, work.resolve("nb-val-empty"), data.taxonomy().depth());
        try (IdentificationService service = start(config)) {
            StreamsTopics topics = service.topics();
            for (int i = 0; i < val.size(); i++) {
                clients.sendAsync(topics.sightings(), "bf-" + i, photo(topics.sightings(), "bf-" + i,
                        val.get(i).image()));
                clients.sendAsync(topics.sightings(), "bg-" + i, photo(topics.sightings(), "bg-" + i,
                        backgrounds.get(i).image()));
            }
            clients.flush();
            int n = 2 * val.size();
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= n, Duration.ofSeconds(120),
                    Duration.ofSeconds(2));
            assertEquals(n, out.total(), "one output per sighting");
            Set<String> flagged = out.review().stream()
                    .filter(r -> r.value().getIdentification().getReasons().get(0) == ReviewReason.NO_BUTTERFLY)
                    .map(ConsumerRecord::key).collect(Collectors.toSet());
            long backgroundsFlagged = flagged.stream().filter(k -> k.startsWith("bg-")).count();
            long butterfliesFlagged = flagged.stream().filter(k -> k.startsWith("bf-")).count();
            System.out.printf("background-only photos: %d of %d flagged NO_BUTTERFLY, photos with a butterfly %d of"
                    + " %d (threshold %.4f)%n", backgroundsFlagged, val.size(), butterfliesFlagged, val.size(),
                    threshold);
            assertTrue(backgroundsFlagged >= val.size() / 2, backgroundsFlagged + " of " + val.size()
                    + " background-only photos flagged");
            assertTrue(butterfliesFlagged <= val.size() / 4, butterfliesFlagged + " of " + val.size()
                    + " photos with a butterfly flagged");
        }
    }

    /** The photos with their butterfly erased, written as PNGs (samples without taxon or mask). */
    private static List<Sample> erased(List<Sample> photos, Path dir, int ranks) throws Exception {
        return NoButterflyTuning.emptyPhotos(BackgroundSwap.writeErased(photos, dir), ranks);
    }

    private static byte[] photo(String topic, String id, Path image) throws Exception {
        return clients.avro(Sighting.class, topic, sighting(id).setImage(ByteBuffer.wrap(Files.readAllBytes(image)))
                .build());
    }

    /**
     * An untrained segmenter is never sure of any pixel, so with the check on every photo reads as butterfly-free:
     * each goes to review with NO_BUTTERFLY first, although the thresholds (all 0) would have accepted it.
     */
    @Test
    void aPhotoWithoutAnInsectGoesToReviewAsNoButterfly() throws Exception {
        Path blind = work.resolve("models/blind");
        FreshBundles.writeBlind(blind, MODEL, Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.0));
        ServiceConfig config = config("no-butterfly", Map.of("lepistream.no-butterfly.max-mask-area", "0.5",
                "lepistream.threshold.overlap", "0", "lepistream.model.dir", blind.toString()));
        try (IdentificationService service = start(config)) {
            StreamsTopics topics = service.topics();
            int n = 8;
            for (int i = 0; i < n; i++) {
                clients.sendAsync(topics.sightings(), "nb-" + i, good(topics.sightings(), "nb-" + i, i));
            }
            clients.flush();
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= n, Duration.ofSeconds(90),
                    Duration.ofSeconds(2));
            assertEquals(n, out.review().size());
            for (ConsumerRecord<String, ReviewRequest> r : out.review()) {
                assertEquals(ReviewReason.NO_BUTTERFLY, r.value().getIdentification().getReasons().get(0));
            }
            assertEquals(n, service.metrics().reviewReasons.get("NO_BUTTERFLY"));
        }
    }

    /** With the window at 0 the same upstream retries do get a second decision: the window is what stops them. */
    @Test
    void withoutTheRepeatWindowARetryIsDecidedAgain() throws Exception {
        ServiceConfig config = config("no-repeats", Map.of("lepistream.repeats.window-ms", "0"));
        try (IdentificationService service = start(config)) {
            StreamsTopics topics = service.topics();
            String t = topics.sightings();
            clients.send(t, "twice", good(t, "twice", 3));
            clients.awaitOutputs(topics, o -> o.total() >= 1, Duration.ofSeconds(60), Duration.ZERO);
            clients.send(t, "twice", good(t, "twice", 3));
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= 2, Duration.ofSeconds(60),
                    Duration.ofSeconds(2));
            assertEquals(List.of("twice", "twice"), out.keys());
            assertEquals(0, service.metrics().repeats.total());
        }
    }

    @Test
    void badInputsAreDeadLetteredWithTheirOwnReasonWhileGoodOnesFlow() throws Exception {
        Path photos = Files.createDirectories(work.resolve("photos"));
        // No species can clear 1.0: every good sighting rolls up to genus and goes to expert review, so the review
        // path (photo, overlay, mask) is exercised deterministically here.
        ServiceConfig config = config("poison", Map.of(
                "lepistream.image.max-bytes", "200000",
                "lepistream.threshold.species", "1.0",
                "lepistream.fetch.allow", photos.toUri().toString()));
        try (IdentificationService service = start(config)) {
            StreamsTopics topics = service.topics();
            String t = topics.sightings();
            Map<String, DeadLetterReason> expected = new LinkedHashMap<>();
            Map<String, byte[]> bad = new LinkedHashMap<>();
            bad.put("undecodable", "this is not avro".getBytes());
            expected.put("undecodable", DeadLetterReason.UNDECODABLE_AVRO);
            // A registered record of another type: valid wire format, wrong schema.
            bad.put("wrong-schema", clients.avro(ModelRelease.class, "it-elsewhere", ModelRelease.newBuilder()
                    .setModelName("m").setVersion("v").setBundleUri("x").setCreatedAt(Instant.now()).build()));
            expected.put("wrong-schema", DeadLetterReason.WRONG_SCHEMA);
            addBad(bad, expected, t, "no-image", sighting("no-image").build(), DeadLetterReason.NO_IMAGE);
            addBad(bad, expected, t, "corrupt", sighting("corrupt").setImage(ByteBuffer.wrap(TestImages.corruptJpeg()))
                    .build(), DeadLetterReason.CORRUPT_IMAGE);
            addBad(bad, expected, t, "truncated", sighting("truncated").setImage(
                    ByteBuffer.wrap(TestImages.truncatedJpeg())).build(), DeadLetterReason.TRUNCATED_IMAGE);
            addBad(bad, expected, t, "heic", sighting("heic").setImage(ByteBuffer.wrap(TestImages.heic())).build(),
                    DeadLetterReason.UNSUPPORTED_FORMAT);
            addBad(bad, expected, t, "bomb", sighting("bomb").setImage(ByteBuffer.wrap(TestImages.pngBomb(60_000)))
                    .build(), DeadLetterReason.OVERSIZED_DIMENSIONS);
            addBad(bad, expected, t, "huge", sighting("huge").setImage(ByteBuffer.wrap(new byte[300_000])).build(),
                    DeadLetterReason.OVERSIZED_PAYLOAD);
            addBad(bad, expected, t, "metadata-uri", sighting("metadata-uri")
                    .setImageUri("http://169.254.169.254/latest/meta-data/iam").build(),
                    DeadLetterReason.URI_NOT_ALLOWED);
            addBad(bad, expected, t, "missing-file", sighting("missing-file")
                    .setImageUri(photos.resolve("gone.jpg").toUri().toString()).build(),
                    DeadLetterReason.URI_UNREACHABLE);
            addBad(bad, expected, t, "blank-id", sighting(" ").setImage(ByteBuffer.wrap(TestImages.jpeg(32, 32, 1)))
                    .build(), DeadLetterReason.INVALID_RECORD);

            // One photo by URI from the allowed folder: fetched and identified like an inline one.
            Files.write(photos.resolve("ok.jpg"), TestImages.jpeg(64, 64, 99));
            Set<String> goodIds = new HashSet<>();
            clients.send(t, "by-uri", clients.avro(Sighting.class, t, sighting("by-uri")
                    .setImageUri(photos.resolve("ok.jpg").toUri().toString()).build()));
            goodIds.add("by-uri");
            // A GIF (as some apps send): decoded like a JPEG.
            clients.send(t, "gif", clients.avro(Sighting.class, t, sighting("gif")
                    .setImage(ByteBuffer.wrap(TestImages.gif())).setContentType("image/gif").build()));
            goodIds.add("gif");
            int i = 0;
            for (Map.Entry<String, byte[]> e : bad.entrySet()) {
                clients.send(t, "good-" + i, good(t, "good-" + i, i));
                goodIds.add("good-" + i++);
                clients.send(t, e.getKey(), e.getValue());
            }
            for (int k = 0; k < 5; k++) {
                clients.send(t, "good-" + i, good(t, "good-" + i, i));
                goodIds.add("good-" + i++);
            }
            int n = goodIds.size() + bad.size();
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= n, Duration.ofSeconds(90),
                    Duration.ofSeconds(3));

            assertEquals(n, out.total());
            Map<String, DeadLetter> letters = new HashMap<>();
            for (ConsumerRecord<String, DeadLetter> r : out.deadLetters()) {
                letters.put(r.key(), r.value());
            }
            Map<String, DeadLetterReason> actual = letters.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getReasonCode()));
            assertEquals(new TreeMap<>(expected), new TreeMap<>(actual), "dead letters by sighting key");
            assertTrue(expected.size() >= 8 && new HashSet<>(expected.values()).size() == expected.size(),
                    "at least 8 distinct reasons");
            for (Map.Entry<String, byte[]> e : bad.entrySet()) {
                DeadLetter letter = letters.get(e.getKey());
                byte[] original = new byte[letter.getOriginalValue().remaining()];
                letter.getOriginalValue().duplicate().get(original);
                assertArrayEquals(e.getValue(), original, "dead letter of " + e.getKey() + " keeps the original bytes");
                assertEquals(t, letter.getSourceTopic());
                assertTrue(!letter.getMessage().isBlank());
            }
            assertTrue(letters.get("heic").getMessage().contains("Most Compatible"),
                    "the uploader is told what to do: " + letters.get("heic").getMessage());
            assertEquals(0, out.identified().size());
            Set<String> decided = out.identifications().stream().map(Identification::getSightingId)
                    .collect(Collectors.toSet());
            assertEquals(goodIds, decided, "every good sighting decided despite the poison around it");
            for (ConsumerRecord<String, ReviewRequest> r : out.review()) {
                ReviewRequest rr = r.value();
                assertEquals(List.of(ReviewReason.ROLLED_UP), rr.getIdentification().getReasons().stream()
                        .filter(x -> x != ReviewReason.LOW_OVERLAP).toList());
                assertEquals("genus", rr.getIdentification().getDecidedRank());
                assertEquals(versionV1, rr.getIdentification().getModelVersion());
                assertReviewMaps(rr);
                if (r.key().equals("by-uri")) {
                    assertEquals(null, rr.getImage());
                    assertEquals(photos.resolve("ok.jpg").toUri().toString(), rr.getImageUri());
                } else {
                    assertTrue(rr.getImage() != null && rr.getImage().remaining() > 100, "review carries the photo");
                }
            }
            String metrics = http(service.healthPort(), "/metrics");
            assertTrue(metrics.contains("lepistream_dead_letters_total{reason=\"WRONG_SCHEMA\"} 1"), metrics);
        }
    }

    @Test
    void aNewReleaseSwapsTheModelMidStreamWithoutLosingRecords() throws Exception {
        Path store = work.resolve("models");
        String v2 = FreshBundles.write(store.resolve("v2"), MODEL, Map.of("family", 0.0, "genus", 0.0,
                "species", 0.0, "overlap", 0.5));
        ServiceConfig config = config("hot-swap", Map.of());
        try (IdentificationService service = start(config)) {
            StreamsTopics topics = service.topics();
            String t = topics.sightings();
            int n = 0;
            for (; n < 30; n++) {
                clients.sendAsync(t, "a-" + n, good(t, "a-" + n, n));
            }
            clients.flush();
            clients.awaitOutputs(topics, o -> o.total() >= 30, Duration.ofSeconds(60), Duration.ZERO);

            // A broken release is rejected and the current model stays.
            clients.send(topics.releases(), MODEL, clients.avro(ModelRelease.class, topics.releases(),
                    release("broken-1", "does-not-exist")));
            long deadline = System.currentTimeMillis() + 30_000;
            while (service.metrics().modelLoadFailures.total() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, service.metrics().modelLoadFailures.total(), service.status());
            assertEquals(versionV1, service.model().version());

            // The stream keeps flowing while the good release arrives.
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 60; i++) {
                    clients.sendAsync(t, "b-" + i, good(t, "b-" + i, 100 + i));
                    sleep(25);
                }
                clients.flush();
            });
            producer.start();
            sleep(300);
            clients.send(topics.releases(), MODEL, clients.avro(ModelRelease.class, topics.releases(),
                    release(v2, "v2")));
            producer.join();
            n += 60;
            deadline = System.currentTimeMillis() + 30_000;
            while (!v2.equals(service.metrics().modelVersion()) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            // A final few after the swap, which must all carry v2.
            for (int i = 0; i < 10; i++) {
                clients.sendAsync(t, "c-" + i, good(t, "c-" + i, 200 + i));
            }
            clients.flush();
            final int total = n + 10;
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= total, Duration.ofSeconds(90),
                    Duration.ofSeconds(3));

            assertEquals(total, out.total(), "no sighting lost or duplicated across the swap");
            assertEquals(total, new HashSet<>(out.keys()).size());
            Map<String, String> versionOf = out.identifications().stream()
                    .collect(Collectors.toMap(Identification::getSightingId, Identification::getModelVersion));
            List<String> before = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                before.add(versionOf.get("a-" + i));
            }
            assertTrue(before.stream().allMatch(versionV1::equals), "before the release: " + before);
            for (int i = 0; i < 10; i++) {
                assertEquals(v2, versionOf.get("c-" + i), "after the swap");
            }
            assertEquals(Set.of(versionV1, v2), new HashSet<>(versionOf.values()));
            assertEquals(2, service.metrics().modelSwaps.total());
        }
    }

    private static ModelRelease release(String version, String bundleUri) {
        return ModelRelease.newBuilder().setModelName(MODEL).setVersion(version).setBundleUri(bundleUri)
                .setCreatedAt(Instant.now()).build();
    }

    private static void addBad(Map<String, byte[]> bad, Map<String, DeadLetterReason> expected, String topic,
            String key, Sighting s, DeadLetterReason reason) {
        bad.put(key, clients.avro(Sighting.class, topic, s));
        expected.put(key, reason);
    }

    /** Attention and mask come as byte grids for the console to draw, not as pictures made on the stream thread. */
    private static void assertReviewMaps(ReviewRequest rr) {
        for (var grid : new Heatmap[] {rr.getAttention(), rr.getMask()}) {
            assertTrue(grid != null && grid.getHeight() > 0 && grid.getWidth() > 0, "attention and mask grids: " + rr);
            assertEquals(grid.getHeight() * grid.getWidth(), grid.getValues().remaining(), "one byte per cell");
        }
        // Min-max scaled: the least attended cell is 0 and the most 255 (all 0 when a fresh network attends uniformly).
        ByteBuffer a = rr.getAttention().getValues().duplicate();
        int min = 255;
        int max = 0;
        while (a.hasRemaining()) {
            int v = a.get() & 0xFF;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0, min);
        assertTrue(max == 255 || max == 0, "max " + max);
        assertEquals(null, rr.getAttentionOverlayPng(), "no overlay picture made on the stream thread");
        assertEquals(null, rr.getMaskPng());
    }

    private static String http(int port, String path) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
