package org.lepistream.trainer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ModelRelease;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.Verdict;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;
import org.lepistream.streams.IdentificationService;
import org.lepistream.streams.ServiceConfig;
import org.lepistream.trainer.TrainerConfig;
import org.lepistream.trainer.TrainerService;
import org.lepistream.trainer.loop.LoopTopics;
import org.lepistream.trainer.release.SegmenterTuning;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.evaluation.BackgroundSwap;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * The loop on a real broker, registry, service and trainer: sightings go through the identification service, an
 * expert labels every output, the trainer ingests the labels, retrains when its label threshold is reached, gates
 * the candidate, publishes a ModelRelease, and the running service's next outputs carry the new model version.
 */
@ExtendWith(LocalStackExtension.class)
class TrainerReleaseIT {

    @Test
    void labelsInGatedReleaseOutServiceOutputsCarryTheNewVersion(LocalStack stack, @TempDir Path work)
            throws Exception {
        Dataset data = Fixtures.butterflies(work.resolve("data"), 10);
        Taxonomy taxonomy = data.taxonomy();
        String model = "it-release";
        Path initial = work.resolve("models/initial");
        // An untrained model whose routing is decided by overlap alone: some outputs identified, some reviewed.
        String v1 = Fixtures.freshBundle(initial, taxonomy, model, Map.of("family", 0.0, "genus", 0.0,
                "species", 0.0, "overlap", 0.5));
        LoopTopics topics = new LoopTopics("it-release-" + System.nanoTime() + "-");
        topics.create(stack.clientConfig());

        Properties sp = new Properties();
        stack.clientConfig().forEach((k, v) -> sp.setProperty(k, v.toString()));
        sp.setProperty("lepistream.application.id", topics.name("service"));
        sp.setProperty("lepistream.model.name", model);
        sp.setProperty("lepistream.model.dir", initial.toString());
        sp.setProperty("lepistream.model.store", work.resolve("models").toString());
        sp.setProperty("lepistream.http.port", "-1");
        sp.setProperty("lepistream.batch.max-size", "8");
        sp.setProperty("lepistream.state.dir", work.resolve("service-state").toString());
        // Some photos come by URI (as phone photos too big for a record do): service and trainer fetch them.
        String photos = work.resolve("data").toUri().toString();
        sp.setProperty("lepistream.fetch.allow", photos);
        // Half the accepted answers audited: their labels measure candidates and are not trained on.
        sp.setProperty("lepistream.audit.share", "0.5");
        Map<String, String> serviceTopics = new HashMap<>(topics.overrides(ServiceConfig.KEYS));
        serviceTopics.forEach(sp::setProperty);

        int labelsToRetrain = 20;
        Properties tp = new Properties();
        stack.clientConfig().forEach((k, v) -> tp.setProperty(k, v.toString()));
        tp.setProperty("lepistream.application.id", topics.name("trainer"));
        tp.setProperty("lepistream.work.dir", work.resolve("trainer").toString());
        tp.setProperty("lepistream.model.name", model);
        tp.setProperty("lepistream.model.initial", initial.toString());
        tp.setProperty("lepistream.model.store", work.resolve("models").toString());
        tp.setProperty("lepistream.validation.data", work.resolve("data").toString());
        tp.setProperty("lepistream.retrain.labels", Integer.toString(labelsToRetrain));
        tp.setProperty("lepistream.train.epochs", "3");
        tp.setProperty("lepistream.train.batch", "8");
        // The gate is exercised (scores and refusals are unit-tested in GateTest); its tolerances here are wide
        // because 3 epochs on 20 photos against an untrained model is a coin toss on 8 validation photos.
        tp.setProperty("lepistream.gate.tolerance.top1", "1");
        tp.setProperty("lepistream.gate.tolerance.severity", "10");
        tp.setProperty("lepistream.gate.tolerance.precision", "1");
        tp.setProperty("lepistream.gate.live.min-audits", "1");
        tp.setProperty("lepistream.gate.tolerance.live-precision", "1");
        // One NOT_A_BUTTERFLY photo is enough here to tune the segmenter (the agreement check is tested apart).
        tp.setProperty("lepistream.no-butterfly.min-labels", "1");
        tp.setProperty("lepistream.no-butterfly.epochs", "1");
        tp.setProperty("lepistream.no-butterfly.min-agreement", "0");
        tp.setProperty("lepistream.http.port", "0");
        tp.setProperty("lepistream.fetch.allow", photos);
        topics.overrides(TrainerConfig.KEYS).forEach(tp::setProperty);

        List<Sample> train = data.split("train");
        ByteArrayOutputStream trainerLog = new ByteArrayOutputStream();
        try (ItClients io = new ItClients(stack.clientConfig());
                IdentificationService service = new IdentificationService(ServiceConfig.of(sp));
                TrainerService trainer = new TrainerService(TrainerConfig.of(tp), new PrintStream(trainerLog, true))) {
            service.start();
            assertTrue(service.awaitRunning(Duration.ofSeconds(90)), service.status());
            trainer.start();
            String sightings = topics.name(Topics.SIGHTINGS);
            for (int k = 0; k < labelsToRetrain; k++) {
                Sample s = train.get(k);
                io.send(sightings, s.id(), Sighting.class, k >= 2 && k < 5
                        ? Sighting.newBuilder(sighting(s.id(), new byte[1])).setImage(null)
                                .setImageUri(s.image().toUri().toString()).build()
                        : sighting(s.id(), Files.readAllBytes(s.image())));
            }
            // A photo without a butterfly (one of the train photos, its butterfly erased), sent and labelled first.
            Sample donor = train.get(labelsToRetrain + 6);
            ImageDecoder decoder = new ImageDecoder();
            ByteArrayOutputStream empty = new ByteArrayOutputStream();
            ImageIO.write(BackgroundSwap.eraseSubject(decoder.decode(donor.image()), decoder.decode(donor.mask())),
                    "jpg", empty);
            io.send(sightings, "empty-1", Sighting.class, sighting("empty-1", empty.toByteArray()));
            io.flush();
            Map<String, Identification> outputs = outputs(io, topics, labelsToRetrain + 1);
            assertEquals(labelsToRetrain + 1, outputs.size());
            outputs.values().forEach(i -> assertEquals(v1, i.getModelVersion()));
            long audits = outputs.entrySet().stream().filter(e -> !e.getKey().equals("empty-1"))
                    .filter(e -> e.getValue().getReasons().equals(List.of(org.lepistream.schemas.ReviewReason.AUDIT)))
                    .count();
            io.send(topics.name(Topics.EXPERT_LABELS), "empty-1", ExpertLabel.class, ExpertLabel.newBuilder()
                    .setSightingId("empty-1").setReviewerId("it").setLabelledAt(Instant.now())
                    .setVerdict(Verdict.NOT_A_BUTTERFLY).build());
            io.flush();
            // Ingested before the labels that trigger the round, so that the round sees it.
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (trainer.store().size() < 1 && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            assertEquals(1, trainer.store().size(), "the NOT_A_BUTTERFLY label is stored");

            // The expert: the true species for most, a genus-only answer, an unidentifiable one, an unknown taxon.
            String labelsTopic = topics.name(Topics.EXPERT_LABELS);
            int leaf = taxonomy.depth() - 1;
            for (int k = 0; k < labelsToRetrain; k++) {
                Sample s = train.get(k);
                ExpertLabel.Builder b = ExpertLabel.newBuilder().setSightingId(s.id()).setReviewerId("it")
                        .setLabelledAt(Instant.now()).setModelVersion(v1).setVerdict(Verdict.CORRECTED);
                if (k == 0) {
                    b.setTaxon(taxonomy.name(1, s.label(1))).setRank("genus");
                } else {
                    b.setTaxon(taxonomy.name(leaf, s.leaf())).setRank("species");
                }
                io.send(labelsTopic, s.id(), ExpertLabel.class, b.build());
            }
            Sample extra = train.get(labelsToRetrain);
            io.send(sightings, extra.id(), Sighting.class, sighting(extra.id(), Files.readAllBytes(extra.image())));
            io.flush();
            outputs(io, topics, labelsToRetrain + 2);
            io.send(labelsTopic, extra.id(), ExpertLabel.class, ExpertLabel.newBuilder().setSightingId(extra.id())
                    .setReviewerId("it").setLabelledAt(Instant.now()).setVerdict(Verdict.UNIDENTIFIABLE).build());
            io.send(labelsTopic, train.get(1).id() + "-bogus", ExpertLabel.class, ExpertLabel.newBuilder()
                    .setSightingId(train.get(1).id()).setReviewerId("it").setLabelledAt(Instant.now())
                    .setVerdict(Verdict.CORRECTED).setTaxon("Danaus imaginarius").setRank("species").build());
            io.flush();

            // The trainer retrains on its own (label policy), gates and publishes.
            List<ConsumerRecord<String, ModelRelease>> releases = io.readUntil(topics.name(Topics.MODEL_RELEASES),
                    ModelRelease.class, l -> !l.isEmpty(), Duration.ofMinutes(4));
            assertEquals(1, releases.size(), "one release; trainer log:\n" + trainerLog);
            ModelRelease release = releases.get(0).value();
            assertNotEquals(v1, release.getVersion());
            assertEquals(v1, release.getParentVersion());
            assertEquals(model, release.getModelName());
            assertTrue(release.getThresholds().containsKey("species"), "recalibrated thresholds travel with it: "
                    + release.getThresholds());
            assertTrue(release.getMetrics().containsKey("species_top1"));
            assertTrue(Files.isDirectory(Path.of(URI.create(release.getBundleUri()))));

            // The running service hot-swaps: new sightings come back from the released model.
            String v2 = release.getVersion();
            Identification fresh = null;
            for (int k = 0; k < 30 && (fresh == null || !v2.equals(fresh.getModelVersion())); k++) {
                Sample s = train.get(labelsToRetrain + 1 + (k % 5));
                String id = "after-" + k;
                io.send(sightings, id, Sighting.class, sighting(id, Files.readAllBytes(s.image())));
                io.flush();
                fresh = outputs(io, topics, labelsToRetrain + 3 + k).get(id);
            }
            assertEquals(v2, fresh.getModelVersion(), "the service's outputs carry the released version");

            // What the trainer kept: every label once (the three by URI fetched), the genus-only one with a blank
            // species, the rejection.
            assertEquals(labelsToRetrain + 2, trainer.store().size());
            assertEquals(labelsToRetrain, trainer.store().trainable().size());
            assertEquals(audits, trainer.store().audits().size(), "the audited sightings' labels are told apart");
            String log = trainerLog.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(log.contains("(" + (labelsToRetrain - audits) + " expert-labelled)"), "audits are not trained"
                    + " on (" + audits + " of " + labelsToRetrain + "): " + log);
            assertTrue(log.contains(audits > 0 ? "on " + audits + " audited live photos" : "live check skipped"), log);
            // The expert's NOT_A_BUTTERFLY photo tuned the released segmenter.
            assertTrue(log.contains("segmenter tuned on 1 NOT_A_BUTTERFLY photos"), log);
            try (ModelBundle released = ModelBundle.load(Path.of(URI.create(release.getBundleUri())))) {
                assertEquals(Boolean.TRUE, released.manifest().metrics().get("segmenterTuned"));
                // What the next round compares with, so that the same photo does not tune it again.
                assertEquals(1, ((Number) released.manifest().metrics().get(SegmenterTuning.TUNED_ON_METRIC))
                        .intValue());
            }
            assertEquals(List.of("UNKNOWN_TAXON"), trainer.store().rejections().stream().map(r -> r.reason())
                    .toList());
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + trainer.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("lepistream_trainer_releases_total 1"), metrics);
            assertTrue(metrics.contains("lepistream_trainer_trainings_total{outcome=\"released\"} 1"), metrics);
            assertTrue(metrics.contains("lepistream_trainer_labels_rejected_total{reason=\"UNKNOWN_TAXON\"} 1"),
                    metrics);
            assertTrue(metrics.contains("lepistream_trainer_labels_ingested_total{verdict=\"UNIDENTIFIABLE\"} 1"),
                    metrics);
            assertTrue(metrics.contains("lepistream_trainer_labels_ingested_total{verdict=\"NOT_A_BUTTERFLY\"} 1"),
                    metrics);
            assertTrue(metrics.contains("lepistream_trainer_examples{weight_class=\"untrainable\"} 2"), metrics);
        }
    }

    private static Sighting sighting(String id, byte[] jpeg) {
        return Sighting.newBuilder().setSightingId(id).setObserverId("it").setObservedAt(Instant.now())
                .setSource("it").setContentType("image/jpeg").setImage(ByteBuffer.wrap(jpeg)).build();
    }

    /** Identifications and review requests so far, by sighting id, once there are at least {@code n}. */
    private static Map<String, Identification> outputs(ItClients io, LoopTopics topics, int n) {
        Map<String, Identification> out = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            out.clear();
            io.readUntil(topics.name(Topics.IDENTIFICATIONS), Identification.class, l -> false,
                    Duration.ofMillis(1500)).forEach(r -> out.put(r.key(), r.value()));
            io.readUntil(topics.name(Topics.EXPERT_REVIEW), ReviewRequest.class, l -> false,
                    Duration.ofMillis(1500)).forEach(r -> out.put(r.key(), r.value().getIdentification()));
        }
        return out;
    }
}
