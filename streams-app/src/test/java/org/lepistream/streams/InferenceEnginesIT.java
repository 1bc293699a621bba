package org.lepistream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.RankPrediction;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.TaxonScore;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;
import org.lepistream.vision.bundle.InferenceEngine;

/**
 * The service's engine is a setting: the same bundle and sightings served with {@code lepistream.engine=pytorch} and
 * with {@code onnxruntime} give one output per sighting each, with the same probabilities (to 1e-4); an engine the
 * host cannot run stops the service at start with the reason.
 */
@ExtendWith(LocalStackExtension.class)
class InferenceEnginesIT {
    private static final String MODEL = "lepistream-engines-it";
    private static final int SIGHTINGS = 24;

    @TempDir
    static Path work;
    private static LocalStack stack;
    private static Path bundle;

    @BeforeAll
    static void setUp(LocalStack localStack) {
        stack = localStack;
        bundle = work.resolve("models/v1");
        FreshBundles.write(bundle, MODEL, Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.5));
    }

    private static ServiceConfig config(String engine) {
        return ServiceConfig.of(properties(engine));
    }

    private static Properties properties(String engine) {
        String prefix = "engines-" + engine;
        Properties p = new Properties();
        stack.clientConfig().forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.application.id", prefix);
        p.setProperty("lepistream.engine", engine);
        p.setProperty("lepistream.model.name", MODEL);
        p.setProperty("lepistream.model.dir", bundle.toString());
        p.setProperty("lepistream.model.store", work.resolve("models").toString());
        p.setProperty("lepistream.http.port", "-1");
        p.setProperty("lepistream.batch.max-size", "8");
        p.setProperty("lepistream.top-k", "5"); // every taxon at every rank, so probabilities compare by taxon
        p.setProperty("lepistream.state.dir", work.resolve("state-" + prefix).toString());
        for (String t : List.of("sightings", "identifications", "expert-review", "sightings-dlq", "model-releases")) {
            p.setProperty("lepistream.topic." + t, prefix + "-" + t);
        }
        return p;
    }

    /** Serves SIGHTINGS photos on one engine; returns taxon probabilities by sighting id, "rank/taxon" → p. */
    private static Map<String, Map<String, Double>> serve(String engine) throws Exception {
        ServiceConfig config = config(engine);
        assertEquals(InferenceEngine.parse(engine), config.engine());
        try (StackClients clients = new StackClients(stack.clientConfig())) {
            StreamsTopics topics = new StreamsTopics(config);
            clients.createTopics(topics.newTopics(2));
            try (IdentificationService service = new IdentificationService(config)) {
                service.start();
                assertTrue(service.awaitRunning(Duration.ofSeconds(60)), engine + ": " + service.status());
                for (int i = 0; i < SIGHTINGS; i++) {
                    String id = "s-" + i;
                    clients.sendAsync(topics.sightings(), id, clients.avro(Sighting.class, topics.sightings(),
                            Sighting.newBuilder().setSightingId(id).setObserverId("o").setObservedAt(Instant.now())
                                    .setSource("it").setContentType("image/jpeg")
                                    .setImage(ByteBuffer.wrap(TestImages.jpeg(64 + i % 5 * 8, 64, i))).build()));
                }
                clients.flush();
                StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= SIGHTINGS,
                        Duration.ofSeconds(90), Duration.ofSeconds(2));
                assertEquals(SIGHTINGS, out.total(), engine + ": outputs across the three topics");
                assertEquals(0, out.deadLetters().size(), engine + ": dead letters");
                Set<String> keys = new HashSet<>(out.keys());
                assertEquals(SIGHTINGS, keys.size(), engine + ": one output per sighting");
                Map<String, Map<String, Double>> byId = new HashMap<>();
                for (Identification id : out.identifications()) {
                    Map<String, Double> p = new HashMap<>();
                    for (RankPrediction rank : id.getPredictions()) {
                        for (TaxonScore s : rank.getCandidates()) {
                            p.put(rank.getRank() + "/" + s.getTaxon(), s.getProbability());
                        }
                    }
                    byId.put(id.getSightingId(), p);
                }
                return byId;
            }
        }
    }

    @Test
    void onnxRuntimeServesTheSameProbabilitiesAsPyTorch() throws Exception {
        Map<String, Map<String, Double>> pytorch = serve("pytorch");
        Map<String, Map<String, Double>> onnx = serve("onnxruntime");
        assertEquals(pytorch.keySet(), onnx.keySet());
        double worst = 0;
        for (String id : pytorch.keySet()) {
            Map<String, Double> a = pytorch.get(id);
            Map<String, Double> b = onnx.get(id);
            assertEquals(a.keySet(), b.keySet(), id);
            // 5 species + 4 genera + 2 families: the whole distribution at every rank.
            assertEquals(FreshBundles.TAXONOMY.size(0) + FreshBundles.TAXONOMY.size(1)
                    + FreshBundles.TAXONOMY.size(2), a.size(), id);
            for (String taxon : a.keySet()) {
                worst = Math.max(worst, Math.abs(a.get(taxon) - b.get(taxon)));
            }
        }
        assertTrue(worst <= 1e-4, "max |pytorch - onnxruntime| probability " + worst);
    }

    @Test
    void aServiceOnOnnxRuntimeNeverLoadsPyTorch() throws Exception {
        // The bundle is served from its .onnx files and every step between the engine's passes is plain Java: the
        // serving process must not map libtorch (a second set of natives and thread pools beside ONNX Runtime's).
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc to read a process's mapped libraries");
        Properties p = properties("onnxruntime");
        p.setProperty("lepistream.application.id", "engines-process");
        p.setProperty("lepistream.state.dir", work.resolve("state-process").toString());
        for (String t : List.of("sightings", "identifications", "expert-review", "sightings-dlq", "model-releases")) {
            p.setProperty("lepistream.topic." + t, "engines-process-" + t);
        }
        StreamsTopics topics = new StreamsTopics(ServiceConfig.of(p));
        Path dir = Files.createDirectories(work.resolve("process"));
        List<Path> logs = new ArrayList<>();
        Process service = null;
        try (StackClients clients = new StackClients(stack.clientConfig())) {
            clients.createTopics(topics.newTopics(1));
            service = CrashRecoveryIT.startService(CrashRecoveryIT.write(p, dir), dir, logs);
            clients.sendAsync(topics.sightings(), "p-1", clients.avro(Sighting.class, topics.sightings(),
                    Sighting.newBuilder().setSightingId("p-1").setObserverId("o").setObservedAt(Instant.now())
                            .setSource("it").setContentType("image/jpeg")
                            .setImage(ByteBuffer.wrap(TestImages.jpeg(72, 64, 1))).build()));
            clients.flush();
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= 1, Duration.ofSeconds(120),
                    Duration.ZERO);
            assertEquals(1, out.total() - out.deadLetters().size(), "one sighting served: "
                    + CrashRecoveryIT.tail(logs));
            String maps = Files.readString(Path.of("/proc", Long.toString(service.pid()), "maps"));
            assertTrue(maps.contains("libonnxruntime"), "the engine itself is mapped (else the check proves nothing)");
            assertFalse(maps.contains("libtorch"), "libtorch is mapped into a service that serves on ONNX Runtime");
        } finally {
            if (service != null) {
                service.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void anEngineThisHostCannotRunStopsTheServiceWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IdentificationService(config("tensorrt")).close());
        assertTrue(e.getMessage().contains("tensorrt") && e.getMessage().contains("GPU"), e.getMessage());
    }
}
