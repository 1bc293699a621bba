package org.lepistream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.Sighting;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;

/**
 * The service as a separate process, killed with SIGKILL three times while it works through 2,000 sightings and
 * restarted each time: still exactly one output per sighting.
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
        Path configFile = work.resolve("app.properties");
        try (Writer w = Files.newBufferedWriter(configFile)) {
            p.store(w, "crash test");
        }
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
                String id = "crash-" + i;
                ids.add(id);
                clients.sendAsync(t, id, clients.avro(Sighting.class, t, Sighting.newBuilder().setSightingId(id)
                        .setObserverId("o").setObservedAt(Instant.now()).setSource("crash-test")
                        .setImage(ByteBuffer.wrap(photos[i % photos.length])).build()));
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
                for (Identification id : out.identifications()) {
                    assertEquals(version, id.getModelVersion());
                }
                System.out.println("crash test: " + SIGHTINGS + " sightings, " + KILL_AT.length + " SIGKILLs, "
                        + out.total() + " outputs; resumed-buffer lines: " + resumedLines(logs));
            } finally {
                service.destroyForcibly().waitFor();
            }
        }
    }

    private static Process startService(Path configFile, Path work, List<Path> logs) throws IOException {
        Path log = work.resolve("service-" + logs.size() + ".log");
        logs.add(log);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"),
                "org.lepistream.streams.cli.StreamsCli", "serve", "--config", configFile.toString());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private static String tail(List<Path> logs) {
        try {
            List<String> lines = Files.readAllLines(logs.get(logs.size() - 1));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static List<String> resumedLines(List<Path> logs) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path log : logs) {
            for (String line : Files.readAllLines(log)) {
                if (line.contains("resumed")) {
                    found.add(line.replaceAll("^.*task", "task"));
                }
            }
        }
        return found;
    }
}
