package org.lepistream.streams;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.stack.KafkaProcess;
import org.lepistream.stack.LocalRegistry;

/**
 * Experiment for issue 16 (not part of the build): the report's precondition made for real. The service runs as a
 * child process and is frozen with SIGSTOP for longer than its transaction timeout, twice under load, so that the
 * transaction coordinator aborts its open transactions and fences its producers (as the reporter's slow fetches on
 * the stream thread did). Once the service has caught up, the broker is SIGKILLed and restarted on the same data.
 * Prints the committed offsets and the log ends, every sighting's outputs, the service's re-read count, and dumps
 * {@code __consumer_offsets} with Kafka's DumpLogSegments. To run it, copy it into
 * streams-app/src/test/java/org/lepistream/streams/ and:
 *
 * <pre>
 * ./mvnw -B -o verify -pl streams-app -Dtest=none -Dit.test=ServiceFreezeIT -Dfailsafe.failIfNoSpecifiedTests=false \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dx.n=600 -Dx.rate=5 -Dx.partitions=6 -Dx.freezes=2 -Dx.freeze-ms=15000]
 * </pre>
 *
 * {@code -Dx.kill-after-freeze-ms=3000} also kills the broker that long after each freeze ends, mid-recovery.
 * {@code -Dx.kills=2} kills the broker twice (the report's second kill added an output for every earlier sighting).
 * {@code -Dx.session-ms=60000} keeps a frozen member in its group, so that only the transaction timeout fences it.
 * Lines starting "XP" are the record; the broker's log is streams-app/target/&lt;app&gt;-kafka.log and the dump
 * streams-app/target/&lt;app&gt;-offsets-dump.txt.
 */
class ServiceFreezeIT {

    @TempDir
    Path work;

    @Test
    void serviceFencedByTimeoutsThenBrokerKilled() throws Exception {
        int n = Integer.getInteger("x.n", 600);
        int rate = Integer.getInteger("x.rate", 5);
        String app = "it-service-freeze-" + System.nanoTime();
        Path model = work.resolve("model");
        FreshBundles.write(model, "crash", Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.0));
        Path kafkaLog = Path.of("target", app + "-kafka.log").toAbsolutePath();
        Path kafkaData = work.resolve("kafka");
        try (KafkaProcess kafka = KafkaProcess.start(kafkaData, kafkaLog, List.of(
                     "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.coordinator=info",
                     "-Dorg.slf4j.simpleLogger.log.kafka.coordinator=info",
                     "-Dorg.slf4j.simpleLogger.log.kafka.log=info"));
             LocalRegistry registry = LocalRegistry.start(work.resolve("registry"), 0, false)) {
            Map<String, Object> clientConfig = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "schema.registry.url", registry.url());
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Properties p = new Properties();
            clientConfig.forEach((k, v) -> p.setProperty(k, v.toString()));
            p.setProperty("lepistream.application.id", app);
            p.setProperty("lepistream.model.name", "crash");
            p.setProperty("lepistream.model.dir", model.toString());
            p.setProperty("lepistream.http.port", String.valueOf(port));
            p.setProperty("lepistream.batch.max-size", "8");
            p.setProperty("lepistream.state.dir", work.resolve("state").toString());
            if (System.getProperty("x.session-ms") != null) {
                // Longer than the freeze: the group keeps the frozen member, and only the transaction timeout fences
                // it, as when the reporter's stream thread hung on a fetch while its heartbeat thread went on.
                p.setProperty("consumer.session.timeout.ms", System.getProperty("x.session-ms"));
            }
            for (String t : List.of("sightings", "identifications", "expert-review", "sightings-dlq",
                    "model-releases")) {
                p.setProperty("lepistream.topic." + t, app + "-" + t);
            }
            Path configFile = CrashRecoveryIT.write(p, work);
            StreamsTopics topics = new StreamsTopics(ServiceConfig.of(p));
            List<Path> logs = new ArrayList<>();
            try (StackClients clients = new StackClients(clientConfig)) {
                clients.createTopics(topics.newTopics(Integer.getInteger("x.partitions", 6)));
                Process service = CrashRecoveryIT.startService(configFile, work, logs);
                try {
                    try (BrokerCrashIT.OutputCounter outputs = new BrokerCrashIT.OutputCounter(clientConfig, topics);
                         BrokerCrashIT.Load load = new BrokerCrashIT.Load(clients, topics.sightings(), n, rate)) {
                        outputs.awaitAtLeast(50, Duration.ofMinutes(3));
                        for (int i = 0; i < Integer.getInteger("x.freezes", 2); i++) {
                            System.out.println("XP freeze " + i + " at outputs " + outputs.total() + " offsets "
                                    + offsets(clientConfig, app, topics));
                            signal(service.pid(), "STOP");
                            Thread.sleep(Long.getLong("x.freeze-ms", 15_000));
                            signal(service.pid(), "CONT");
                            if (System.getProperty("x.kill-after-freeze-ms") != null) {
                                // The broker dies while the service recovers from the fencing: new producers
                                // initialising, the aborted transaction's markers possibly still in flight.
                                Thread.sleep(Long.getLong("x.kill-after-freeze-ms"));
                                System.out.println("XP kill after freeze " + i + " offsets "
                                        + offsets(clientConfig, app, topics));
                                kafka.kill();
                                kafka.restart();
                                watch(clientConfig, app, topics, outputs, port);
                            }
                            int before = outputs.total();
                            outputs.awaitAtLeast(before + 20, Duration.ofMinutes(3));
                            System.out.println("XP after freeze " + i + " outputs " + outputs.total() + " ready "
                                    + http(port, "/ready"));
                        }
                        load.awaitSent(Duration.ofMinutes(10));
                        outputs.awaitAtLeast(n, Duration.ofMinutes(5));
                        Thread.sleep(Long.getLong("x.idle-ms", 5_000));
                        System.out.println("XP before kill outputs " + outputs.total() + " offsets "
                                + offsets(clientConfig, app, topics) + " ends " + ends(clientConfig, topics));
                        for (int kill = 0; kill < Integer.getInteger("x.kills", 1); kill++) {
                            System.out.println("XP kill " + kill);
                            kafka.kill();
                            kafka.restart();
                            watch(clientConfig, app, topics, outputs, port);
                        }
                    }
                    StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= n,
                            Duration.ofMinutes(3), Duration.ofSeconds(5));
                    Map<String, Integer> perKey = new HashMap<>();
                    out.keys().forEach(k -> perKey.merge(k, 1, Integer::sum));
                    long duplicated = perKey.values().stream().filter(c -> c > 1).count();
                    String metrics = http(port, "/metrics");
                    System.out.println("XP RESULT duplicated " + duplicated + " distinct " + perKey.size()
                            + " total " + out.total() + " | " + Stream.of(metrics.split("\n"))
                            .filter(l -> l.startsWith("lepistream_reread") || l.startsWith("lepistream_repeated"))
                            .collect(Collectors.joining("; ")));
                    System.out.println("XP re-read warnings " + CrashRecoveryIT.linesContaining(logs, "is being read again").size()
                            + ", fenced/migrated lines " + CrashRecoveryIT.linesContaining(logs, "fenced").size());
                    assertTrue(perKey.size() == n, "sightings without an output");
                } finally {
                    service.destroyForcibly().waitFor();
                    dumpOffsetsTopic(kafkaData, Path.of("target", app + "-offsets-dump.txt").toAbsolutePath());
                }
            }
        }
    }

    /** Prints the committed offsets, the outputs so far and /ready every 2 s, for {@code x.watch} rounds. */
    private static void watch(Map<String, Object> clientConfig, String app, StreamsTopics topics,
            BrokerCrashIT.OutputCounter outputs, int port) throws InterruptedException {
        for (int t = 0; t < Integer.getInteger("x.watch", 45); t++) {
            Thread.sleep(2000);
            String committed;
            try {
                committed = offsets(clientConfig, app, topics);
            } catch (Exception e) {
                committed = "(" + e.getClass().getSimpleName() + ")";
            }
            System.out.printf("XP +%ds offsets %s outputs %d ready %s%n", 2 * (t + 1), committed, outputs.total(),
                    http(port, "/ready"));
        }
    }

    private static void signal(long pid, String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).start().waitFor();
    }

    private static String http(int port, String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return path.equals("/metrics") ? r.body() : r.statusCode() + " " + r.body().strip().replace('\n', ' ');
        } catch (Exception e) {
            return "(" + e.getClass().getSimpleName() + ")";
        }
    }

    private static String offsets(Map<String, Object> clientConfig, String app, StreamsTopics topics)
            throws Exception {
        try (Admin admin = Admin.create(clientConfig)) {
            return new TreeMap<>(admin.listConsumerGroupOffsets(app).partitionsToOffsetAndMetadata()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS).entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topics.sightings()))
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()))).toString();
        }
    }

    private static String ends(Map<String, Object> clientConfig, StreamsTopics topics) throws Exception {
        try (Admin admin = Admin.create(clientConfig)) {
            int partitions = admin.describeTopics(List.of(topics.sightings())).allTopicNames().get()
                    .get(topics.sightings()).partitions().size();
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            for (int i = 0; i < partitions; i++) {
                q.put(new TopicPartition(topics.sightings(), i), OffsetSpec.latest());
            }
            return new TreeMap<>(admin.listOffsets(q).all().get().entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()))).toString();
        }
    }

    /**
     * Kafka's own DumpLogSegments (org.apache.kafka:kafka-tools, not a dependency of the build; {@code -Dx.tools-jar}
     * or the local Maven repository) over __consumer_offsets-0, with the offsets decoder, into {@code out}.
     */
    private static void dumpOffsetsTopic(Path kafkaData, Path out) throws Exception {
        Path dir = kafkaData.resolve("__consumer_offsets-0");
        if (!Files.isDirectory(dir)) {
            System.out.println("XP no " + dir);
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path") + java.io.File.pathSeparator + System.getProperty(
                        "x.tools-jar", Path.of(System.getProperty("user.home"), ".m2/repository/org/apache/kafka/"
                                + "kafka-tools/4.4.0/kafka-tools-4.4.0.jar").toString()),
                "org.apache.kafka.tools.DumpLogSegments", "--offsets-decoder",
                "--deep-iteration", "--files"));
        try (Stream<Path> files = Files.list(dir)) {
            cmd.add(files.filter(f -> f.toString().endsWith(".log")).sorted().map(Path::toString)
                    .collect(Collectors.joining(",")));
        }
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start().waitFor();
        System.out.println("XP dump " + out + " (" + Files.size(out) + " bytes)");
    }
}
