package org.lepistream.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.loadtest.cli.LoadTestCli;
import org.lepistream.loadtest.scaleout.FreshModel;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;
import org.lepistream.streams.IdentificationService;
import org.lepistream.streams.ServiceConfig;
import org.lepistream.streams.StreamsTopics;
import picocli.CommandLine;

/**
 * {@code load-test} against the real service (in process, tiny fresh model) on the real broker and registry: every
 * sighting gets exactly one result, truncated photos land on the dead-letter topic, and the report and plots exist.
 */
@ExtendWith(LocalStackExtension.class)
class LoadTestIT {

    private static final int COUNT = 120;
    private static final int BAD_EVERY = 10;

    @Test
    void fixedRateRunReportsOneResultPerSighting(LocalStack stack, @TempDir Path work) throws Exception {
        String prefix = "it-load-" + System.nanoTime();
        Path model = work.resolve("model");
        FreshModel.write(model, "load", FreshModel.Size.TINY);
        Properties p = new Properties();
        stack.clientConfig().forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.application.id", prefix);
        p.setProperty("lepistream.model.name", "load");
        // The report's per-topic counts below expect every good photo identified: no audit reviews.
        p.setProperty("lepistream.audit.share", "0");
        p.setProperty("lepistream.model.dir", model.toString());
        p.setProperty("lepistream.http.port", "-1");
        p.setProperty("lepistream.batch.max-size", "8");
        p.setProperty("lepistream.state.dir", work.resolve("state").toString());
        for (String t : List.of("sightings", "identifications", "expert-review", "sightings-dlq", "model-releases")) {
            p.setProperty("lepistream.topic." + t, prefix + "-" + t);
        }
        ServiceConfig config = ServiceConfig.of(p);
        try (Admin admin = Admin.create(stack.clientConfig())) {
            admin.createTopics(new StreamsTopics(config).newTopics(3)).all().get();
        }
        Path out = work.resolve("report");
        try (IdentificationService service = new IdentificationService(config)) {
            service.start();
            assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "service did not reach RUNNING");
            StringWriter stdout = new StringWriter();
            StringWriter stderr = new StringWriter();
            CommandLine cli = LoadTestCli.commandLine();
            cli.setOut(new PrintWriter(stdout));
            cli.setErr(new PrintWriter(stderr));
            int code = cli.execute("load-test", "--bootstrap", stack.bootstrapServers(), "--registry",
                    stack.registryUrl(), "--topic-prefix", prefix, "--count", String.valueOf(COUNT), "--rate", "40",
                    "--synthetic", "6", "--synthetic-size", "96", "--bad-every", String.valueOf(BAD_EVERY),
                    "--drain-timeout", "120", "--out", out.toString());
            assertEquals(0, code, stdout + "\n" + stderr);
            String report = Files.readString(out.resolve("report.md"));
            int bad = COUNT / BAD_EVERY;
            // sent | with a result | no result | duplicated | send failures | per-topic counts (sorted by name)
            String counts = "| " + COUNT + " | " + COUNT + " | 0 | 0 | 0 | " + (COUNT - bad) + " | " + bad + " |";
            assertTrue(report.contains(counts), "expected " + counts + " in\n" + report);
            assertTrue(report.contains(prefix + "-identifications | " + prefix + "-sightings-dlq |"), report);
            assertTrue(report.contains("Every sighting has exactly one result."), report);
            assertTrue(stdout.toString().contains("sent " + COUNT + ", results " + COUNT), stdout.toString());
            for (String png : List.of("throughput.png", "latency.png")) {
                BufferedImage img = ImageIO.read(out.resolve(png).toFile());
                assertTrue(img != null && img.getWidth() > 0, png);
            }
            System.out.println(report);
        }
    }
}
