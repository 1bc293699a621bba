package org.lepistream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.Sighting;
import org.lepistream.stack.KafkaProcess;
import org.lepistream.stack.LocalRegistry;

/**
 * The broker (a child process) SIGKILLed and restarted twice on the same data while the service works under a steady
 * load: once right after the service's transactional producers were fenced, once without. Every sighting still has
 * exactly one output visible to {@code read_committed} consumers, and the service is running and making progress
 * again within two minutes of each restart.
 */
class BrokerCrashIT {

    private static final int RATE_PER_SECOND = 25;
    private static final int SIGHTINGS = 1200;
    private static final Duration BACK_WITHIN = Duration.ofMinutes(2);

    @TempDir
    Path work;

    @Test
    void brokerKilledTwiceUnderLoadStillOneOutputPerSighting() throws Exception {
        String app = "it-broker-crash-" + System.nanoTime();
        Path model = work.resolve("model");
        FreshBundles.write(model, "crash", Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.0));
        // Kept beside the build output: the coordinators' log is what explains a failure.
        Path kafkaLog = Path.of("target", app + "-kafka.log").toAbsolutePath();
        CompletableFuture<LocalRegistry> registryStart = CompletableFuture.supplyAsync(
                () -> LocalRegistry.start(work.resolve("registry"), 0, false));
        try (KafkaProcess kafka = KafkaProcess.start(work.resolve("kafka"), kafkaLog, List.of(
                     "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.coordinator=info",
                     "-Dorg.slf4j.simpleLogger.log.kafka.coordinator=info",
                     "-Dorg.slf4j.simpleLogger.log.kafka.log=info"));
             LocalRegistry registry = registryStart.join()) {
            Map<String, Object> clientConfig = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "schema.registry.url", registry.url());
            ServiceConfig config = config(app, clientConfig, model);
            StreamsTopics topics = new StreamsTopics(config);
            try (StackClients clients = new StackClients(clientConfig);
                 IdentificationService service = new IdentificationService(config)) {
                clients.createTopics(topics.newTopics(3));
                service.start();
                assertTrue(service.awaitRunning(Duration.ofSeconds(90)), "not RUNNING: " + service.status());
                try (OutputCounter outputs = new OutputCounter(clientConfig, topics);
                     Load load = new Load(clients, topics.sightings(), SIGHTINGS, RATE_PER_SECOND)) {
                    outputs.awaitAtLeast(100, Duration.ofMinutes(2));
                    int fenced = fenceProducers(clientConfig, app);
                    assertTrue(fenced > 0, "no transactional producer of the service to fence");
                    // Let the service recover from the fencing and commit again before the crash.
                    outputs.awaitAtLeast(outputs.total() + 60, Duration.ofMinutes(2));
                    crashAndRestart(kafka, service, outputs, "after fencing");

                    outputs.awaitAtLeast(outputs.total() + 60, Duration.ofMinutes(2));
                    crashAndRestart(kafka, service, outputs, "without fencing");
                    load.awaitSent(Duration.ofMinutes(3));
                }
                StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= SIGHTINGS,
                        Duration.ofMinutes(3), Duration.ofSeconds(5));
                Map<String, Integer> perKey = new HashMap<>();
                out.keys().forEach(k -> perKey.merge(k, 1, Integer::sum));
                Set<String> duplicated = new TreeSet<>();
                perKey.forEach((k, n) -> {
                    if (n > 1) {
                        duplicated.add(k);
                    }
                });
                assertEquals(Set.of(), duplicated, "sightings with more than one committed output; broker log "
                        + kafkaLog);
                assertEquals(SIGHTINGS, perKey.size(), "sightings without an output");
                assertEquals(0, out.deadLetters().size(), "dead letters: " + out.deadLetters());
                // Not asserted: a re-read is the broker losing committed offsets (issue 16), which the service
                // absorbs; the number is the evidence of whether that happened in this run.
                System.out.printf("broker crash: %d decided records read again (committed offsets went back), %d"
                        + " source repeats%n", service.metrics().rereads.total(), service.metrics().repeats.total());
            }
        }
    }

    private static void crashAndRestart(KafkaProcess kafka, IdentificationService service, OutputCounter outputs,
                                        String when) {
        kafka.kill();
        long restarted = System.nanoTime();
        kafka.restart();
        int before = outputs.total();
        long deadline = restarted + BACK_WITHIN.toNanos();
        while (System.nanoTime() < deadline && !(service.ready() && outputs.total() > before)) {
            sleep(200);
        }
        Duration back = Duration.ofNanos(System.nanoTime() - restarted);
        assertTrue(service.ready() && outputs.total() > before, "service not back within " + BACK_WITHIN
                + " of the broker restart " + when + ": " + service.status() + ", outputs " + before + " -> "
                + outputs.total());
        System.out.printf("broker crash %s: service ready and producing again %.1f s after the restart%n", when,
                back.toMillis() / 1000.0);
    }

    /** Bumps the epoch of every transactional producer of the service, as a transaction timeout does. */
    static int fenceProducers(Map<String, Object> clientConfig, String app) throws Exception {
        try (Admin admin = Admin.create(clientConfig)) {
            List<String> ids = admin.listTransactions().all().get().stream()
                    .map(TransactionListing::transactionalId).filter(id -> id.startsWith(app)).toList();
            admin.fenceProducers(ids).all().get();
            return ids.size();
        }
    }

    static ServiceConfig config(String app, Map<String, Object> clientConfig, Path model) {
        Properties p = new Properties();
        clientConfig.forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.application.id", app);
        p.setProperty("lepistream.model.name", "crash");
        p.setProperty("lepistream.model.dir", model.toString());
        p.setProperty("lepistream.http.port", "-1");
        p.setProperty("lepistream.batch.max-size", "8");
        for (String t : List.of("sightings", "identifications", "expert-review", "sightings-dlq", "model-releases")) {
            p.setProperty("lepistream.topic." + t, app + "-" + t);
        }
        return ServiceConfig.of(p);
    }

    /** Sends {@code count} sightings at {@code rate} a second, whatever the broker is doing. */
    static final class Load implements AutoCloseable {
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Load(StackClients clients, String topic, int count, int rate) {
            byte[][] photos = new byte[10][];
            for (int i = 0; i < photos.length; i++) {
                photos[i] = TestImages.jpeg(64, 64, i);
            }
            List<byte[]> values = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                values.add(clients.avro(Sighting.class, topic, Sighting.newBuilder().setSightingId("s-" + i)
                        .setObserverId("o").setObservedAt(Instant.now()).setSource("broker-crash-test")
                        .setImage(ByteBuffer.wrap(photos[i % photos.length])).build()));
            }
            thread = new Thread(() -> {
                try {
                    long start = System.nanoTime();
                    for (int i = 0; i < count; i++) {
                        long due = start + i * 1_000_000_000L / rate;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        clients.sendAsync(topic, "s-" + i, values.get(i));
                    }
                    clients.flush();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "broker-crash-load");
            thread.start();
        }

        void awaitSent(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
            assertTrue(!thread.isAlive(), "load not sent within " + timeout);
            assertEquals(null, failure.get(), "load failed");
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    /** Counts outputs visible to read_committed consumers, as they appear; survives broker restarts. */
    static final class OutputCounter implements AutoCloseable {
        private final AtomicInteger total = new AtomicInteger();
        private volatile boolean running = true;
        private final Thread thread;

        OutputCounter(Map<String, Object> clientConfig, StreamsTopics topics) {
            thread = new Thread(() -> {
                try (KafkaConsumer<String, byte[]> consumer = StackClients.outputReader(clientConfig, topics)) {
                    while (running) {
                        total.addAndGet(consumer.poll(Duration.ofMillis(200)).count());
                    }
                }
            }, "broker-crash-outputs");
            thread.setDaemon(true);
            thread.start();
        }

        int total() {
            return total.get();
        }

        void awaitAtLeast(int n, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (total.get() < n && System.nanoTime() < deadline) {
                sleep(100);
            }
            assertTrue(total.get() >= n, "only " + total.get() + " outputs of " + n + " within " + timeout);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
