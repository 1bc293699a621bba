package org.lepistream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.stack.KafkaProcess;
import org.lepistream.stack.LocalRegistry;

/**
 * Experiment for issue 16 (not part of the build): the broker frozen with SIGSTOP under load, optionally fenced, then
 * SIGKILLed and restarted; prints the committed offsets every 2 s after the freeze and counts every sighting's
 * outputs. To run it, copy it into streams-app/src/test/java/org/lepistream/streams/ and:
 *
 * <pre>
 * ./mvnw -B -o verify -pl streams-app -Dtest=none -Dit.test=BrokerStallIT -Dfailsafe.failIfNoSpecifiedTests=false \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dx.stalls=1 -Dx.stall-ms=13000 -Dx.n=3000 [-Dx.fence=true] \
 *     [-Dx.session-ms=45000]
 * </pre>
 *
 * Lines starting "XP" are the record. The broker's log is streams-app/target/&lt;app&gt;-kafka.log. The runs with the old
 * 3 s broker session also set {@code broker.session.timeout.ms} to 3000 in {@code LocalKafka.brokerProperties}.
 */
class BrokerStallIT {

    @TempDir
    Path work;

    @Test
    void brokerFrozenThenKilled() throws Exception {
        int sightings = Integer.getInteger("x.n", 2400);
        String app = "it-broker-stall-" + System.nanoTime();
        Path model = work.resolve("model");
        FreshBundles.write(model, "crash", Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.0));
        Path kafkaLog = Path.of("target", app + "-kafka.log").toAbsolutePath();
        try (KafkaProcess kafka = KafkaProcess.start(work.resolve("kafka"), kafkaLog, List.of(
                     "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.coordinator=info",
                     "-Dorg.slf4j.simpleLogger.log.kafka.coordinator=info"));
             LocalRegistry registry = LocalRegistry.start(work.resolve("registry"), 0, false)) {
            Map<String, Object> clientConfig = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "schema.registry.url", registry.url());
            ServiceConfig config = BrokerCrashIT.config(app, clientConfig, model);
            if (System.getProperty("x.session-ms") != null) {
                Properties p = config.toProperties();
                p.setProperty("consumer.session.timeout.ms", System.getProperty("x.session-ms"));
                config = ServiceConfig.of(p);
            }
            StreamsTopics topics = new StreamsTopics(config);
            try (StackClients clients = new StackClients(clientConfig);
                 IdentificationService service = new IdentificationService(config)) {
                clients.createTopics(topics.newTopics(3));
                service.start();
                assertTrue(service.awaitRunning(Duration.ofSeconds(90)), "not RUNNING: " + service.status());
                try (BrokerCrashIT.OutputCounter outputs = new BrokerCrashIT.OutputCounter(clientConfig, topics);
                     BrokerCrashIT.Load load = new BrokerCrashIT.Load(clients, topics.sightings(), sightings, 25)) {
                    outputs.awaitAtLeast(100, Duration.ofMinutes(2));
                    for (int i = 0; i < Integer.getInteger("x.stalls", 1); i++) {
                        System.out.println("XP stall " + i + " at outputs " + outputs.total() + " offsets "
                                + offsets(clientConfig, app));
                        signal("STOP");
                        Thread.sleep(Long.getLong("x.stall-ms", 13_000));
                        signal("CONT");
                        long resumed = System.nanoTime();
                        for (int t = 0; t < Integer.getInteger("x.watch", 35); t++) {
                            Thread.sleep(2000);
                            System.out.printf("XP +%.0fs offsets %s outputs %d%n", (System.nanoTime() - resumed) / 1e9,
                                    offsets(clientConfig, app), outputs.total());
                        }
                    }
                    if (Boolean.getBoolean("x.fence")) {
                        System.out.println("XP fenced " + BrokerCrashIT.fenceProducers(clientConfig, app));
                        Thread.sleep(5000);
                    }
                    System.out.println("XP before kill outputs " + outputs.total() + " offsets "
                            + offsets(clientConfig, app));
                    kafka.kill();
                    kafka.restart();
                    for (int t = 0; t < 60 && !service.ready(); t++) {
                        Thread.sleep(2000);
                    }
                    System.out.println("XP after restart ready " + service.ready() + " offsets "
                            + offsets(clientConfig, app) + " " + service.status());
                    load.awaitSent(Duration.ofMinutes(5));
                }
                StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= sightings,
                        Duration.ofMinutes(3), Duration.ofSeconds(5));
                Map<String, Integer> perKey = new HashMap<>();
                out.keys().forEach(k -> perKey.merge(k, 1, Integer::sum));
                long duplicated = perKey.values().stream().filter(n -> n > 1).count();
                System.out.println("XP RESULT duplicated " + duplicated + " distinct " + perKey.size() + " total "
                        + out.total());
                assertEquals(0, duplicated);
                assertEquals(sightings, perKey.size());
            }
        }
    }

    /** Signals the broker child process (found by its main class among this JVM's children). */
    private static void signal(String name) throws Exception {
        long pid = ProcessHandle.current().children().filter(h -> {
            try {
                return Files.readString(Path.of("/proc/" + h.pid() + "/cmdline")).contains(KafkaProcess.class.getName());
            } catch (IOException e) {
                return false;
            }
        }).findFirst().orElseThrow().pid();
        new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).start().waitFor();
    }

    private static String offsets(Map<String, Object> clientConfig, String app) throws Exception {
        try (Admin admin = Admin.create(clientConfig)) {
            return new TreeMap<>(admin.listConsumerGroupOffsets(app).partitionsToOffsetAndMetadata().get()
                    .entrySet().stream().filter(e -> e.getKey().topic().endsWith("sightings"))
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()))).toString();
        }
    }
}
