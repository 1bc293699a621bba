package org.lepistream.streams;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;

/**
 * {@code serve} with credentials in its config file (SASL JAAS line, SSL key password, registry user:password) and
 * Kafka's own logging at INFO, where every client prints its full configuration: the credentials reach the clients
 * but never the log.
 */
@ExtendWith(LocalStackExtension.class)
class SecretsNotLoggedIT {

    private static final String JAAS_SECRET = "jaas-Secret-4711";
    private static final String KEY_SECRET = "keystore-Secret-0815";

    @Test
    void credentialsInTheConfigNeverReachTheLog(LocalStack stack, @TempDir Path work) throws Exception {
        String prefix = "it-secrets-" + System.nanoTime();
        Path model = work.resolve("model");
        FreshBundles.write(model, "secrets", Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.0));
        Properties p = new Properties();
        stack.clientConfig().forEach((k, v) -> p.setProperty(k, v.toString()));
        // Not used on a PLAINTEXT listener, but parsed and logged by every Kafka client.
        p.setProperty("sasl.mechanism", "PLAIN");
        p.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"svc\" password=\"" + JAAS_SECRET + "\";");
        p.setProperty("ssl.key.password", KEY_SECRET);
        p.setProperty("lepistream.application.id", prefix);
        p.setProperty("lepistream.model.name", "secrets");
        p.setProperty("lepistream.model.dir", model.toString());
        p.setProperty("lepistream.http.port", "-1");
        p.setProperty("lepistream.state.dir", work.resolve("state").toString());
        for (String t : List.of("sightings", "identifications", "expert-review", "sightings-dlq", "model-releases")) {
            p.setProperty("lepistream.topic." + t, prefix + "-" + t);
        }
        Path config = work.resolve("app.properties");
        try (Writer w = Files.newBufferedWriter(config)) {
            p.store(w, "secrets test");
        }
        try (StackClients clients = new StackClients(stack.clientConfig())) {
            clients.createTopics(new StreamsTopics(ServiceConfig.of(p)).newTopics(1));
        }
        Path log = work.resolve("service.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process service = new ProcessBuilder(java, "-Xmx512m", "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info",
                "-cp", System.getProperty("java.class.path"),
                "org.lepistream.streams.cli.StreamsCli", "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline && service.isAlive()
                    && !Files.readString(log).contains("identification service " + prefix + " started")) {
                Thread.sleep(250);
            }
            Thread.sleep(3000); // the stream threads' clients log their configs as they start
        } finally {
            service.destroy();
            service.waitFor();
        }
        String text = Files.readString(log);
        assertTrue(text.contains("identification service " + prefix + " started"), "service did not start:\n" + text);
        assertTrue(text.contains("sasl.jaas.config = [hidden]"), "Kafka's config dump should have been logged");
        assertFalse(text.contains(JAAS_SECRET), "the SASL password was logged");
        assertFalse(text.contains(KEY_SECRET), "the SSL key password was logged");
    }
}
