package org.lepistream.schemas.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.serde.SerdeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ConnectionOptionsTest {
    @TempDir
    Path dir;

    @Command(name = "probe")
    static class Probe {
        @Mixin
        ConnectionOptions connection;
    }

    private Path clientConfig(String text) throws IOException {
        return Files.writeString(dir.resolve("client.properties"), text);
    }

    private Path descriptor() throws IOException {
        Path file = dir.resolve("home/stack.properties");
        new StackDescriptor("127.0.0.1:39092", "http://127.0.0.1:38081/apis/ccompat/v7").write(file);
        return file;
    }

    @Test
    void defaultsWhenNothingElseIsKnown() {
        ConnectionOptions options = ConnectionOptions.of(null, null, null).withDescriptor(dir.resolve("absent.properties"));
        assertEquals("localhost:9092", options.bootstrapServers());
        assertEquals("http://localhost:8081/apis/ccompat/v7", options.registryUrl());
        assertTrue(options.describe().contains("(default)"), options.describe());
    }

    @Test
    void localStackDescriptorBeatsDefaults() throws IOException {
        ConnectionOptions options = ConnectionOptions.of(null, null, null).withDescriptor(descriptor());
        assertEquals("127.0.0.1:39092", options.bootstrapServers());
        assertEquals("http://127.0.0.1:38081/apis/ccompat/v7", options.registryUrl());
        assertTrue(options.describe().contains("local stack"), options.describe());
    }

    @Test
    void clientConfigBeatsDescriptorAndOptionsBeatEverything() throws IOException {
        Path file = clientConfig("bootstrap.servers=broker.example:9093\nschema.registry.url=https://sr.example\n");
        ConnectionOptions fromFile = ConnectionOptions.of(null, null, file).withDescriptor(descriptor());
        assertEquals("broker.example:9093", fromFile.bootstrapServers());
        assertEquals("https://sr.example", fromFile.registryUrl());

        Probe probe = new Probe();
        new CommandLine(probe).parseArgs("--bootstrap", "cli:1", "--registry", "http://cli:2", "--client-config", file.toString());
        ConnectionOptions fromCli = probe.connection.withDescriptor(descriptor());
        assertEquals("cli:1", fromCli.bootstrapServers());
        assertEquals("http://cli:2", fromCli.registryUrl());
        assertEquals("cli:1", fromCli.kafkaProperties().get("bootstrap.servers"));
        assertEquals("http://cli:2", fromCli.serdeConfig().get(SerdeConfig.SCHEMA_REGISTRY_URL));
    }

    @Test
    void clientConfigReachesKafkaAndSerdeButSecretsNeverReachDescribe() throws IOException {
        Path file = clientConfig("""
                security.protocol=SASL_SSL
                sasl.mechanism=PLAIN
                sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="kafkapw";
                ssl.truststore.password=trustpw
                basic.auth.credentials.source=USER_INFO
                basic.auth.user.info=sr-user:srpw
                """);
        ConnectionOptions options = ConnectionOptions.of("b:9092", "http://r:8081", file).withDescriptor(dir.resolve("none"));

        Map<String, Object> kafka = options.kafkaProperties();
        assertEquals("SASL_SSL", kafka.get("security.protocol"));
        assertTrue(kafka.get("sasl.jaas.config").toString().contains("kafkapw"), "the real value reaches the client");
        assertFalse(kafka.containsKey("basic.auth.user.info"), "registry-only keys stay out of Kafka clients");

        Map<String, Object> serde = options.serdeConfig();
        assertEquals("sr-user:srpw", serde.get("basic.auth.user.info"));
        assertEquals("USER_INFO", serde.get("basic.auth.credentials.source"));
        assertEquals("http://r:8081", serde.get("schema.registry.url"));

        String described = options.describe();
        for (String secret : new String[] {"kafkapw", "trustpw", "srpw"}) {
            assertFalse(described.contains(secret), described);
        }
        assertTrue(described.contains("security.protocol=SASL_SSL") && described.contains(Secrets.MASK), described);
    }

    @Test
    void missingClientConfigIsAClearError() {
        Path missing = dir.resolve("nope.properties");
        ConnectionOptions options = ConnectionOptions.of(null, null, missing).withDescriptor(dir.resolve("none"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, options::kafkaProperties);
        assertEquals("--client-config file not found: " + missing, e.getMessage());
    }
}
