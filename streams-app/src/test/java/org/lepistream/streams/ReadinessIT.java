package org.lepistream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.Sighting;
import org.lepistream.stack.FreePorts;
import org.lepistream.stack.LocalKafka;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;

/**
 * /ready and /health against a real broker that goes away and comes back: red within the configured bounds while
 * it is gone (with the reason in the body), green again after it returns, and the sightings sent meanwhile
 * processed once each.
 */
@ExtendWith(LocalStackExtension.class)
class ReadinessIT {

    private static final int READY_AFTER_MS = 5_000;
    private static final int LIVE_AFTER_MS = 15_000;
    /** Slack over a bound: one check interval plus the admin client's timeout, on a loaded machine. */
    private static final int SLACK_MS = 10_000;
    private static final Pattern SIGHTINGS = Pattern.compile("sightings=(\\d+)");

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Milliseconds until {@code path} answers {@code status}, failing after {@code within}. */
    private long until(int port, String path, int status, long withinMs) throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            HttpResponse<String> r = null;
            try {
                r = get(port, path);
            } catch (IOException e) {
                // A service process still starting has no health port yet.
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (r != null && r.statusCode() == status) {
                return ms;
            }
            if (ms > withinMs) {
                throw new AssertionError(path + (r == null ? " not answering" : " still " + r.statusCode()) + " after "
                        + ms + " ms" + (r == null ? "" : ": " + r.body()));
            }
            Thread.sleep(250);
        }
    }

    @Test
    void readyAndHealthTellTheTruthWhileTheBrokerIsGone(LocalStack stack) throws Exception {
        Path kafkaDir = work.resolve("kafka");
        int port = FreePorts.any();
        LocalKafka kafka = LocalKafka.start(kafkaDir, port);
        Path model = work.resolve("models/v1");
        FreshBundles.write(model, "ready-it", Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.5));
        Map<String, Object> client = new HashMap<>(stack.clientConfig());
        client.put("bootstrap.servers", kafka.bootstrapServers());
        Properties p = new Properties();
        client.forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.application.id", "it-ready");
        p.setProperty("lepistream.model.name", "ready-it");
        p.setProperty("lepistream.model.dir", model.toString());
        p.setProperty("lepistream.http.port", "0");
        p.setProperty("lepistream.state.dir", work.resolve("state").toString());
        p.setProperty("lepistream.health.ready-after-ms", String.valueOf(READY_AFTER_MS));
        p.setProperty("lepistream.health.live-after-ms", String.valueOf(LIVE_AFTER_MS));
        p.setProperty("lepistream.health.check-interval-ms", "500");
        ServiceConfig config = ServiceConfig.of(p);
        StackClients clients = new StackClients(client);
        IdentificationService service = null;
        try {
            clients.createTopics(new StreamsTopics(config).newTopics(2));
            service = new IdentificationService(config);
            service.start();
            int hp = service.healthPort();
            until(hp, "/ready", 200, 120_000);
            StreamsTopics topics = service.topics();
            Set<String> ids = new HashSet<>();
            send(clients, topics, "before", 10, ids);

            long t0 = System.nanoTime(); // the broker is unreachable from the start of its shutdown
            kafka.close();
            until(hp, "/ready", 503, READY_AFTER_MS + SLACK_MS);
            long notReady = (System.nanoTime() - t0) / 1_000_000;
            HttpResponse<String> ready = get(hp, "/ready");
            assertTrue(ready.body().contains("no broker reachable"), ready.body());
            assertEquals(200, get(hp, "/health").statusCode(), "alive until the longer bound");
            until(hp, "/health", 503, LIVE_AFTER_MS + SLACK_MS);
            long notLive = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(get(hp, "/health").body().contains("no broker reachable"));
            System.out.printf("ReadinessIT: broker stopped; /ready 503 after %d ms (bound %d), /health 503 after"
                    + " ~%d ms (bound %d)%n", notReady, READY_AFTER_MS, notLive, LIVE_AFTER_MS);
            assertTrue(notReady >= READY_AFTER_MS - 1000 && notReady <= READY_AFTER_MS + SLACK_MS,
                    "red after the bound, not before: " + notReady + " ms");
            assertTrue(notLive >= LIVE_AFTER_MS - 1000 && notLive <= LIVE_AFTER_MS + SLACK_MS, notLive + " ms");

            kafka = LocalKafka.start(kafkaDir, port);
            long t1 = System.nanoTime();
            long back = until(hp, "/ready", 200, 120_000);
            assertEquals(200, get(hp, "/health").statusCode());
            System.out.printf("ReadinessIT: broker restarted; /ready 200 again after %d ms%n", back);
            send(clients, topics, "after", 10, ids);
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> new HashSet<>(o.keys()).containsAll(ids),
                    Duration.ofSeconds(120), Duration.ofSeconds(3));
            assertEquals(ids.size(), out.total(), "one output per sighting across the outage");
            assertEquals(ids, new HashSet<>(out.keys()));
            assertTrue((System.nanoTime() - t1) / 1_000_000_000 < 240);
        } finally {
            if (service != null) {
                service.close();
            }
            clients.close();
            kafka.close();
        }
    }

    /**
     * Two service processes share a one-partition input; the one holding the partition is SIGKILLed with a 30 s
     * session, so the partition stays with the dead member for that long (as after a stream thread replaced on a
     * transaction timeout). The survivor, RUNNING with nothing assigned, must go red with that reason while the
     * group's records wait, green again once it has taken the partition over, and every sighting get one output.
     */
    @Test
    void anInstanceWithoutPartitionsIsNotReadyWhileADeadMemberHoldsThem(LocalStack stack) throws Exception {
        String prefix = "it-idle-" + System.nanoTime();
        Path model = work.resolve("model");
        FreshBundles.write(model, "crash", Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.0));
        int[] ports = {FreePorts.any(), FreePorts.any()};
        Path[] configs = new Path[2];
        for (int i = 0; i < 2; i++) {
            Path dir = Files.createDirectories(work.resolve("instance-" + i));
            configs[i] = CrashRecoveryIT.write(CrashRecoveryIT.serviceConfig(stack, prefix, model, dir, Map.of(
                    "lepistream.http.port", String.valueOf(ports[i]),
                    "lepistream.health.ready-after-ms", String.valueOf(READY_AFTER_MS),
                    "lepistream.health.live-after-ms", "120000",
                    "lepistream.health.check-interval-ms", "500",
                    "consumer.session.timeout.ms", "30000",
                    "consumer.heartbeat.interval.ms", "3000")), dir);
        }
        StreamsTopics topics = new StreamsTopics(ServiceConfig.of(CrashRecoveryIT.serviceConfig(stack, prefix, model,
                work, Map.of())));
        List<Path> logs = new ArrayList<>();
        Process[] services = new Process[2];
        try (StackClients clients = new StackClients(stack.clientConfig())) {
            clients.createTopics(topics.newTopics(1));
            Set<String> ids = new HashSet<>();
            services[0] = CrashRecoveryIT.startService(configs[0], work, logs);
            send(clients, topics, "early", 5, ids);
            clients.awaitOutputs(topics, o -> o.total() >= 5, Duration.ofSeconds(180), Duration.ZERO);
            services[1] = CrashRecoveryIT.startService(configs[1], work, logs);
            until(ports[1], "/ready", 200, 180_000);
            until(ports[0], "/ready", 200, 60_000);
            long[] before = {processed(ports[0]), processed(ports[1])};
            send(clients, topics, "mid", 5, ids);
            clients.awaitOutputs(topics, o -> o.total() >= 10, Duration.ofSeconds(120), Duration.ZERO);
            // The owner is whichever processed the last five; the assignor may have moved the partition.
            int owner = processed(ports[0]) > before[0] ? 0 : 1;
            int survivor = 1 - owner;
            assertTrue(processed(ports[survivor]) == before[survivor], "both instances processed records");
            assertEquals(200, get(ports[survivor], "/ready").statusCode(), "idle, and the group has no backlog");

            long t0 = System.nanoTime();
            services[owner].destroyForcibly().waitFor(); // SIGKILL: no leave-group, the session keeps the partition
            send(clients, topics, "late", 10, ids);
            until(ports[survivor], "/ready", 503, READY_AFTER_MS + SLACK_MS);
            long red = (System.nanoTime() - t0) / 1_000_000;
            String reason = get(ports[survivor], "/ready").body();
            assertTrue(reason.contains("records waiting in the group (no partition is assigned to this instance"),
                    reason);
            until(ports[survivor], "/ready", 200, 120_000);
            long green = (System.nanoTime() - t0) / 1_000_000;
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> new HashSet<>(o.keys()).containsAll(ids),
                    Duration.ofSeconds(120), Duration.ofSeconds(3));
            assertEquals(ids.size(), out.total(), "one output per sighting: " + CrashRecoveryIT.tail(logs));
            assertEquals(ids, new HashSet<>(out.keys()));
            System.out.printf("ReadinessIT: owner killed; the idle instance's /ready 503 after %d ms (\"%s\"), 200"
                    + " again after %d ms; %d outputs for %d sightings%n", red, reason.strip(), green, out.total(),
                    ids.size());
        } finally {
            for (Process p : services) {
                if (p != null) {
                    p.destroyForcibly().waitFor();
                }
            }
        }
    }

    /** Sightings an instance has read, from the status line of its /ready answer. */
    private long processed(int port) throws Exception {
        Matcher m = SIGHTINGS.matcher(get(port, "/ready").body());
        assertTrue(m.find(), "no sightings count in the status line");
        return Long.parseLong(m.group(1));
    }

    private static void send(StackClients clients, StreamsTopics topics, String prefix, int n, Set<String> ids) {
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            ids.add(id);
            clients.sendAsync(topics.sightings(), id, clients.avro(Sighting.class, topics.sightings(),
                    Sighting.newBuilder().setSightingId(id).setObserverId("o").setObservedAt(Instant.now())
                            .setSource("it").setImage(ByteBuffer.wrap(TestImages.jpeg(64, 64, i))).build()));
        }
        clients.flush();
    }
}
