package org.lepistream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.io.Writer;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.Sighting;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;
import org.lepistream.streams.routing.Audit;

/**
 * The service as a separate process, killed with SIGKILL while it works (three times through 2,000 inline photos,
 * 300 of them sent twice as an upstream retry would; twice with photo fetches in flight) and restarted each time:
 * still exactly one output per sighting, and the audit share (2%, by a hash of the sightingId) picks the same
 * sightings whatever the kills.
 */
@ExtendWith(LocalStackExtension.class)
class CrashRecoveryIT {

    private static final int SIGHTINGS = 2000;
    private static final int[] KILL_AT = {300, 800, 1300};

    @Test
    void killedThreeTimesMidStreamStillOneOutputPerSighting(LocalStack stack, @TempDir Path work) throws Exception {
        String prefix = "it-crash-" + System.nanoTime();
        Path model = work.resolve("model");
        String version = FreshBundles.write(model, "crash", Map.of("family", 0.0, "genus", 0.0, "species", 0.0,
                "overlap", 0.0));
        Properties p = serviceConfig(stack, prefix, model, work, Map.of());
        Path configFile = write(p, work);
        StreamsTopics topics = new StreamsTopics(ServiceConfig.of(p));

        try (StackClients clients = new StackClients(stack.clientConfig())) {
            clients.createTopics(topics.newTopics(3));
            String t = topics.sightings();
            byte[][] photos = new byte[20][];
            for (int i = 0; i < photos.length; i++) {
                photos[i] = TestImages.jpeg(64, 64, i);
            }
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < SIGHTINGS; i++) {
                ids.add("crash-" + i);
                clients.sendAsync(t, "crash-" + i, crashSighting(clients, t, i, photos));
                if (i % 10 == 5) {
                    // An upstream retry close behind the first copy: both may sit in the buffer at a kill.
                    clients.sendAsync(t, "crash-" + (i - 5), crashSighting(clients, t, i - 5, photos));
                }
            }
            for (int i = 0; i < 100; i++) {
                clients.sendAsync(t, "crash-" + i, crashSighting(clients, t, i, photos)); // retried much later
            }
            clients.flush();

            List<Path> logs = new ArrayList<>();
            Process service = startService(configFile, work, logs);
            try {
                for (int killAt : KILL_AT) {
                    StackClients.Outputs progress = clients.awaitOutputs(topics, o -> o.total() >= killAt,
                            Duration.ofSeconds(180), Duration.ZERO);
                    assertTrue(progress.total() >= killAt, "no progress to " + killAt + " outputs: " + tail(logs));
                    assertTrue(progress.total() < SIGHTINGS, "finished before the kill at " + killAt);
                    service.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no commit, no leave-group
                    service = startService(configFile, work, logs);
                }
                StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= SIGHTINGS,
                        Duration.ofSeconds(300), Duration.ofSeconds(5));

                Map<String, Integer> perKey = new HashMap<>();
                out.keys().forEach(k -> perKey.merge(k, 1, Integer::sum));
                List<String> duplicated = perKey.entrySet().stream().filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey).toList();
                assertEquals(List.of(), duplicated, "sightings with more than one output");
                assertEquals(ids, perKey.keySet(), "sightings without an output");
                assertEquals(SIGHTINGS, out.total());
                assertEquals(0, out.deadLetters().size());
                assertEquals(List.of(), rereadLines(logs), "decided records read again after a kill");
                for (Identification id : out.identifications()) {
                    assertEquals(version, id.getModelVersion());
                }
                // Every answer is accepted (thresholds 0), so a review is an audit unless the photo looked empty;
                // the default share audits exactly the accepted sightings its hash picks, through every kill.
                Set<String> audited = new HashSet<>();
                Set<String> accepted = new HashSet<>();
                out.identified().forEach(r -> accepted.add(r.key()));
                for (var r : out.review()) {
                    List<ReviewReason> reasons = r.value().getIdentification().getReasons();
                    if (reasons.equals(List.of(ReviewReason.AUDIT))) {
                        audited.add(r.key());
                    } else {
                        assertEquals(ReviewReason.NO_BUTTERFLY, reasons.get(0), "an unexpected review: " + reasons);
                    }
                }
                accepted.addAll(audited);
                Audit audit = new Audit(ServiceConfig.of(p).auditShare());
                assertEquals(accepted.stream().filter(audit::selects).collect(Collectors.toSet()), audited);
                double share = (double) audited.size() / accepted.size();
                assertEquals(0.02, share, 0.01, audited.size() + " audits of " + accepted.size() + " accepted");
                System.out.println("crash test: " + SIGHTINGS + " sightings, " + KILL_AT.length + " SIGKILLs, "
                        + out.total() + " outputs (" + audited.size() + " audits of " + accepted.size()
                        + " accepted); resumed-buffer lines: " + resumedLines(logs));
            } finally {
                service.destroyForcibly().waitFor();
            }
        }
    }

    private static byte[] crashSighting(StackClients clients, String topic, int i, byte[][] photos) {
        return clients.avro(Sighting.class, topic, Sighting.newBuilder().setSightingId("crash-" + i)
                .setObserverId("o").setObservedAt(Instant.now()).setSource("crash-test")
                .setImage(ByteBuffer.wrap(photos[i % photos.length])).build());
    }

    static Properties serviceConfig(LocalStack stack, String prefix, Path model, Path work,
            Map<String, String> extra) {
        Properties p = new Properties();
        stack.clientConfig().forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.application.id", prefix);
        p.setProperty("lepistream.model.name", "crash");
        p.setProperty("lepistream.model.dir", model.toString());
        p.setProperty("lepistream.http.port", "-1");
        p.setProperty("lepistream.batch.max-size", "16");
        p.setProperty("lepistream.state.dir", work.resolve("state").toString());
        // A killed member is noticed after the session timeout; keep it at the broker's minimum.
        p.setProperty("consumer.session.timeout.ms", "6000");
        p.setProperty("consumer.heartbeat.interval.ms", "1500");
        for (String t : List.of("sightings", "identifications", "expert-review", "sightings-dlq", "model-releases")) {
            p.setProperty("lepistream.topic." + t, prefix + "-" + t);
        }
        extra.forEach(p::setProperty);
        return p;
    }

    static Path write(Properties p, Path work) throws IOException {
        Path configFile = work.resolve("app.properties");
        try (Writer w = Files.newBufferedWriter(configFile)) {
            p.store(w, "crash test");
        }
        return configFile;
    }

    /**
     * Photos by URI from a server that takes 300 ms per answer, so the whole backlog sits in the batching buffer
     * with fetches in flight when the process is killed: the next run must fetch them again, once each.
     */
    @Test
    void killedWhileFetchesAreInFlightStillOneOutputPerSighting(LocalStack stack, @TempDir Path work)
            throws Exception {
        int sightings = 240;
        AtomicInteger requests = new AtomicInteger();
        HttpServer photos = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService serverThreads = Executors.newCachedThreadPool();
        photos.createContext("/photos/", ex -> {
            requests.incrementAndGet();
            byte[] jpeg = TestImages.jpeg(64, 64, ex.getRequestURI().getPath().hashCode());
            try {
                Thread.sleep(300);
                ex.sendResponseHeaders(200, jpeg.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(jpeg);
                }
            } catch (InterruptedException | IOException e) {
                ex.close();
            }
        });
        photos.setExecutor(serverThreads);
        photos.start();
        String base = "http://127.0.0.1:" + photos.getAddress().getPort() + "/photos";
        String prefix = "it-crash-fetch-" + System.nanoTime();
        Path model = work.resolve("model");
        FreshBundles.write(model, "crash", Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.0));
        Properties p = serviceConfig(stack, prefix, model, work, Map.of("lepistream.fetch.allow", base,
                "lepistream.fetch.max-per-host", "4"));
        Path configFile = write(p, work);
        StreamsTopics topics = new StreamsTopics(ServiceConfig.of(p));
        List<Path> logs = new ArrayList<>();
        Process service = null;
        try (StackClients clients = new StackClients(stack.clientConfig())) {
            clients.createTopics(topics.newTopics(3));
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < sightings; i++) {
                String id = "fetch-" + i;
                ids.add(id);
                clients.sendAsync(topics.sightings(), id, clients.avro(Sighting.class, topics.sightings(),
                        Sighting.newBuilder().setSightingId(id).setObserverId("o").setObservedAt(Instant.now())
                                .setSource("crash-test").setImageUri(base + "/" + i + ".jpg").build()));
            }
            clients.flush();
            service = startService(configFile, work, logs);
            for (int killAt : new int[] {40, 120}) {
                StackClients.Outputs progress = clients.awaitOutputs(topics, o -> o.total() >= killAt,
                        Duration.ofSeconds(240), Duration.ZERO);
                assertTrue(progress.total() >= killAt, "no progress to " + killAt + " outputs: " + tail(logs));
                assertTrue(progress.total() < sightings, "finished before the kill at " + killAt);
                service.destroyForcibly().waitFor();
                service = startService(configFile, work, logs);
            }
            StackClients.Outputs out = clients.awaitOutputs(topics, o -> o.total() >= sightings,
                    Duration.ofSeconds(300), Duration.ofSeconds(5));
            Map<String, Integer> perKey = new HashMap<>();
            out.keys().forEach(k -> perKey.merge(k, 1, Integer::sum));
            assertEquals(List.of(), perKey.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .toList(), "sightings with more than one output");
            assertEquals(ids, perKey.keySet(), "sightings without an output");
            assertEquals(0, out.deadLetters().size(), "every photo was fetched in the end");
            assertEquals(List.of(), rereadLines(logs), "decided records read again after a kill");
            List<String> resumed = resumedLines(logs);
            System.out.println("crash test with fetches: " + sightings + " sightings, 2 SIGKILLs, " + out.total()
                    + " outputs, " + requests.get() + " photo requests; resumed-buffer lines: " + resumed);
            assertTrue(!resumed.isEmpty(), "killed with buffered, unfetched sightings: the next run resumed them");
            assertTrue(requests.get() >= sightings);
        } finally {
            if (service != null) {
                service.destroyForcibly().waitFor();
            }
            photos.stop(0);
            serverThreads.shutdownNow();
        }
    }

    static Process startService(Path configFile, Path work, List<Path> logs) throws IOException {
        Path log = work.resolve("service-" + logs.size() + ".log");
        logs.add(log);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"),
                "org.lepistream.streams.cli.StreamsCli", "serve", "--config", configFile.toString());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    static String tail(List<Path> logs) {
        try {
            List<String> lines = Files.readAllLines(logs.get(logs.size() - 1));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static List<String> resumedLines(List<Path> logs) throws IOException {
        return linesContaining(logs, "resumed").stream().map(line -> line.replaceAll("^.*task", "task")).toList();
    }

    /**
     * The service's warnings that a committed decision's record was read again. Through service crashes exactly-once
     * must never let the committed offsets fall behind a decision; the repeat window would hide the duplicate
     * output, so the test looks for the warning.
     */
    private static List<String> rereadLines(List<Path> logs) throws IOException {
        return linesContaining(logs, "is being read again");
    }

    static List<String> linesContaining(List<Path> logs, String text) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path log : logs) {
            for (String line : Files.readAllLines(log)) {
                if (line.contains(text)) {
                    found.add(line);
                }
            }
        }
        return found;
    }
}
