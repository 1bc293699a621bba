package org.lepistream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
            HttpResponse<String> r = get(port, path);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (r.statusCode() == status) {
                return ms;
            }
            if (ms > withinMs) {
                throw new AssertionError(path + " still " + r.statusCode() + " after " + ms + " ms: " + r.body());
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
