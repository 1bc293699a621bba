package org.lepistream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.DeadLetter;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.Sighting;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;

/**
 * What a careless or hostile uploader can do to the service, on a real broker, registry and model: an image server
 * that trickles one byte a second, and a sighting with 12 MB of metadata. Each must cost only its own sighting (a
 * dead letter with its reason) and delay the others by no more than a second; every sighting gets one output.
 */
@ExtendWith(LocalStackExtension.class)
class HostileSightingsIT {

    private static final int DEADLINE_MS = 6000;
    private static final AtomicInteger RUN = new AtomicInteger();

    @TempDir
    static Path work;
    private static LocalStack stack;
    private static StackClients clients;
    private static HttpServer trickle;
    private static final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private static final AtomicInteger trickleAborted = new AtomicInteger();
    private static Path model;

    @BeforeAll
    static void setUp(LocalStack localStack) throws Exception {
        stack = localStack;
        clients = new StackClients(stack.clientConfig());
        model = work.resolve("models/v1");
        FreshBundles.write(model, "hostile-it", Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.5));
        trickle = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        trickle.createContext("/photos/", ex -> {
            byte[] jpeg = TestImages.jpeg(64, 64, 7);
            ex.sendResponseHeaders(200, jpeg.length);
            try (OutputStream out = ex.getResponseBody()) {
                for (byte b : jpeg) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(1000);
                }
            } catch (IOException | InterruptedException e) {
                trickleAborted.incrementAndGet();
            }
        });
        trickle.setExecutor(serverThreads);
        trickle.start();
    }

    @AfterAll
    static void tearDown() {
        if (clients != null) {
            clients.close();
        }
        if (trickle != null) {
            trickle.stop(0);
        }
        serverThreads.shutdownNow();
    }

    private static IdentificationService start(String name) throws Exception {
        String prefix = "it-hostile-" + name + "-" + RUN.incrementAndGet();
        Properties p = new Properties();
        stack.clientConfig().forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.application.id", prefix);
        p.setProperty("lepistream.model.name", "hostile-it");
        p.setProperty("lepistream.model.dir", model.toString());
        p.setProperty("lepistream.model.store", work.resolve("models").toString());
        p.setProperty("lepistream.http.port", "0");
        p.setProperty("lepistream.batch.max-size", "8");
        p.setProperty("lepistream.batch.max-queue-delay-ms", "20");
        p.setProperty("lepistream.state.dir", work.resolve("state-" + prefix).toString());
        p.setProperty("lepistream.fetch.allow", "http://127.0.0.1:" + trickle.getAddress().getPort() + "/photos");
        p.setProperty("lepistream.fetch.timeout-ms", String.valueOf(DEADLINE_MS));
        p.setProperty("lepistream.fetch.max-per-host", "2");
        for (String t : List.of("sightings", "identifications", "expert-review", "sightings-dlq", "model-releases")) {
            p.setProperty("lepistream.topic." + t, prefix + "-" + t);
        }
        ServiceConfig config = ServiceConfig.of(p);
        clients.createTopics(new StreamsTopics(config).newTopics(3));
        IdentificationService service = new IdentificationService(config);
        service.start();
        assertTrue(service.awaitRunning(Duration.ofSeconds(90)), "not RUNNING: " + service.status());
        return service;
    }

    private static Sighting.Builder sighting(String id) {
        return Sighting.newBuilder().setSightingId(id).setObserverId("obs").setObservedAt(Instant.now())
                .setSource("it");
    }

    /** Sends good inline sightings and returns their ids. */
    private static List<String> sendGood(StreamsTopics topics, String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            ids.add(id);
            clients.sendAsync(topics.sightings(), id, clients.avro(Sighting.class, topics.sightings(),
                    sighting(id).setImage(ByteBuffer.wrap(TestImages.jpeg(64, 64, i))).build()));
        }
        clients.flush();
        return ids;
    }

    private static StackClients.Outputs await(StreamsTopics topics, Set<String> ids) {
        Predicate<StackClients.Outputs> all = o -> new HashSet<>(o.keys()).containsAll(ids);
        return clients.awaitOutputs(topics, all, Duration.ofSeconds(180), Duration.ofSeconds(3));
    }

    /** Slowest end-to-end time (record timestamp → decision) among these sightings' identifications. */
    private static long slowestMs(StackClients.Outputs out, List<String> ids) {
        Set<String> wanted = new HashSet<>(ids);
        return out.identifications().stream().filter(i -> wanted.contains(i.getSightingId()))
                .mapToLong(i -> i.getTimings().getTotalMs()).max().orElseThrow();
    }

    /** Records every state the stream leaves RUNNING for: a fenced producer shows up as a rebalance. */
    private static final class StateWatch implements AutoCloseable {
        final Set<KafkaStreams.State> seen = ConcurrentHashMap.newKeySet();
        private final Thread thread;
        private volatile boolean stop;

        StateWatch(IdentificationService service) {
            thread = new Thread(() -> {
                while (!stop) {
                    seen.add(service.state());
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "state-watch");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join();
        }
    }

    private static void assertOneOutputEach(StackClients.Outputs out, Set<String> ids) {
        List<String> keys = out.keys().stream().filter(ids::contains).toList();
        assertEquals(ids.size(), keys.size(), "one output per sighting, none doubled");
        assertEquals(ids, new HashSet<>(keys));
    }

    @Test
    void aTricklingImageServerDelaysOnlyItsOwnSightings() throws Exception {
        try (IdentificationService service = start("trickle")) {
            StreamsTopics topics = service.topics();
            await(topics, new HashSet<>(sendGood(topics, "warm", 16)));
            List<String> baselineIds = sendGood(topics, "base", 24);
            long baseline = slowestMs(await(topics, new HashSet<>(baselineIds)), baselineIds);

            Map<String, Long> slowSent = new HashMap<>();
            Set<String> all = new HashSet<>();
            List<String> good;
            try (StateWatch watch = new StateWatch(service)) {
                // Three photos from the trickling host first (one per partition at least by chance of hashing),
                // then good sightings right behind them in the same partitions.
                for (int i = 0; i < 4; i++) {
                    String id = "slow-" + i;
                    slowSent.put(id, System.currentTimeMillis());
                    clients.send(topics.sightings(), id, clients.avro(Sighting.class, topics.sightings(),
                            sighting(id).setImageUri("http://127.0.0.1:" + trickle.getAddress().getPort()
                                    + "/photos/" + i + ".jpg").build()));
                }
                good = sendGood(topics, "behind", 24);
                all.addAll(slowSent.keySet());
                all.addAll(good);
                StackClients.Outputs out = await(topics, all);
                watch.close();

                assertOneOutputEach(out, all);
                long behind = slowestMs(out, good);
                System.out.printf("HostileSightingsIT trickle: slowest good sighting %d ms without a slow host, "
                        + "%d ms behind it (fetch deadline %d ms)%n", baseline, behind, DEADLINE_MS);
                assertTrue(behind <= baseline + 1000, "sightings behind a trickling host took " + behind
                        + " ms, against " + baseline + " ms without it");
                List<ConsumerRecord<String, DeadLetter>> slowLetters = out.deadLetters().stream()
                        .filter(r -> slowSent.containsKey(r.key())).toList();
                assertEquals(4, slowLetters.size());
                for (ConsumerRecord<String, DeadLetter> r : slowLetters) {
                    DeadLetter d = r.value();
                    assertEquals(DeadLetterReason.URI_UNREACHABLE, d.getReasonCode());
                    assertTrue(d.getMessage().contains("deadline of " + DEADLINE_MS + " ms"), d.getMessage());
                    long after = d.getFailedAt().toEpochMilli() - slowSent.get(r.key());
                    // Two per host at a time: the third and fourth start when the first two give up.
                    assertTrue(after >= DEADLINE_MS - 200 && after < 2 * DEADLINE_MS + 10_000,
                            r.key() + " dead-lettered after " + after + " ms");
                }
                assertEquals(Set.of(KafkaStreams.State.RUNNING), watch.seen,
                        "the stream never left RUNNING (no fencing, no rebalance)");
            }
            assertTrue(trickleAborted.get() >= 4, "every trickling transfer was closed by the service");
        }
    }

    @Test
    void overLongFieldsAreDeadLetteredAtIntakeWithoutDelayingOthers() throws Exception {
        try (IdentificationService service = start("huge")) {
            StreamsTopics topics = service.topics();
            await(topics, new HashSet<>(sendGood(topics, "warm", 16)));
            List<String> baselineIds = sendGood(topics, "base", 24);
            long baseline = slowestMs(await(topics, new HashSet<>(baselineIds)), baselineIds);

            byte[] photo = TestImages.jpeg(64, 64, 3);
            Map<String, Sighting> hostile = new HashMap<>();
            hostile.put("huge-metadata", sighting("huge-metadata").setImage(ByteBuffer.wrap(photo))
                    .setMetadata(Map.of("notes", "x".repeat(12 * 1024 * 1024))).build());
            hostile.put("many-metadata", sighting("many-metadata").setImage(ByteBuffer.wrap(photo))
                    .setMetadata(manyEntries(1000)).build());
            hostile.put("long-type", sighting("long-type").setImage(ByteBuffer.wrap(photo))
                    .setContentType("image/jpeg" + "<script>".repeat(10_000)).build());
            String longId = "id-" + "9".repeat(20_000);
            hostile.put(longId, sighting(longId).setImage(ByteBuffer.wrap(photo)).build());
            Map<String, DeadLetterReason> expected = Map.of("huge-metadata", DeadLetterReason.METADATA_TOO_LARGE,
                    "many-metadata", DeadLetterReason.METADATA_TOO_LARGE,
                    "long-type", DeadLetterReason.CONTENT_TYPE_TOO_LONG, longId, DeadLetterReason.SIGHTING_ID_TOO_LONG);

            Properties big = new Properties();
            big.putAll(stack.clientConfig());
            big.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
            big.put(ProducerConfig.ACKS_CONFIG, "all");
            try (StateWatch watch = new StateWatch(service);
                    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(big, new StringSerializer(),
                            new ByteArraySerializer())) {
                for (var e : hostile.entrySet()) {
                    producer.send(new ProducerRecord<>(topics.sightings(), e.getKey(), clients.avro(Sighting.class,
                            topics.sightings(), e.getValue()))).get();
                }
                List<String> good = sendGood(topics, "behind", 24);
                Set<String> all = new HashSet<>(good);
                all.addAll(hostile.keySet());
                StackClients.Outputs out = await(topics, all);
                watch.close();

                assertOneOutputEach(out, all);
                Map<String, DeadLetterReason> got = new HashMap<>();
                out.deadLetters().stream().filter(r -> hostile.containsKey(r.key()))
                        .forEach(r -> got.put(r.key(), r.value().getReasonCode()));
                assertEquals(expected, got);
                long behind = slowestMs(out, good);
                System.out.printf("HostileSightingsIT huge: slowest good sighting %d ms alone, %d ms behind 12 MB"
                        + " of metadata%n", baseline, behind);
                assertTrue(behind <= baseline + 1000, "sightings behind the huge ones took " + behind + " ms, "
                        + "against " + baseline + " ms without them");
                assertEquals(Set.of(KafkaStreams.State.RUNNING), watch.seen, "no thread replaced, no rebalance");
            }
        }
    }

    private static Map<String, String> manyEntries(int n) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < n; i++) {
            m.put("k" + i, "v");
        }
        return Collections.unmodifiableMap(m);
    }
}
