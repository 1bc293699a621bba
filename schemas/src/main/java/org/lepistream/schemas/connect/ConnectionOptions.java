package org.lepistream.schemas.connect;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.lepistream.schemas.serde.SerdeConfig;
import picocli.CommandLine.Option;

/**
 * Picocli mixin giving every CLI command the same way to find Kafka and the schema registry.
 *
 * <p>Each address is resolved in order: command-line option, then the --client-config file, then the local stack
 * descriptor (if present), then the defaults localhost:9092 and http://localhost:8081/apis/ccompat/v7. Every entry of
 * the client-config file (SASL/SSL settings, basic.auth.*) reaches every Kafka client and the serde.
 */
public class ConnectionOptions {
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    public static final String DEFAULT_REGISTRY = "http://localhost:8081/apis/ccompat/v7";

    // Serde-only keys: Kafka clients would log "supplied but isn't a known config" for each of them.
    private static final Set<String> SERDE_ONLY_PREFIXES = Set.of(
            "schema.registry.", "basic.auth.", "auto.register.schemas", "use.latest.version", "latest.cache.ttl.sec",
            "specific.avro.", "key.subject.name.strategy", "value.subject.name.strategy", "max.retries",
            "retries.wait.ms", "retries.max.wait.ms", "http.connect.timeout.ms", "http.read.timeout.ms");

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (default: client config, then the local stack, then " + DEFAULT_BOOTSTRAP + ").")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "URL[,URL...]",
            description = "Schema registry base URL, Confluent API (default: client config, then the local stack, then "
                    + DEFAULT_REGISTRY + ").")
    String registry;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Properties passed to every Kafka client and to the serde (SASL/SSL, basic.auth.*).")
    Path clientConfig;

    private Path descriptorFile;

    /** For picocli; options stay unset until parsed. */
    public ConnectionOptions() {
    }

    /** Programmatic options (tests, embedding); any argument may be null. */
    public static ConnectionOptions of(String bootstrap, String registry, Path clientConfig) {
        ConnectionOptions options = new ConnectionOptions();
        options.bootstrap = bootstrap;
        options.registry = registry;
        options.clientConfig = clientConfig;
        return options;
    }

    /** Uses this stack descriptor instead of {@link StackDescriptor#defaultLocation()}; returns this. */
    public ConnectionOptions withDescriptor(Path file) {
        this.descriptorFile = file;
        return this;
    }

    /** Resolved Kafka bootstrap servers. */
    public String bootstrapServers() {
        return resolve(bootstrap, StackDescriptor.BOOTSTRAP_SERVERS, DEFAULT_BOOTSTRAP).value();
    }

    /** Resolved schema registry URL(s). */
    public String registryUrl() {
        return resolve(registry, StackDescriptor.SCHEMA_REGISTRY_URL, DEFAULT_REGISTRY).value();
    }

    /** Entries of the --client-config file (empty without one); a clear error when it cannot be read. */
    public Map<String, String> clientConfig() {
        if (clientConfig == null) {
            return Map.of();
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(clientConfig, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--client-config file not found: " + clientConfig);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot read --client-config file " + clientConfig + ": " + e.getMessage(), e);
        }
        Map<String, String> entries = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> entries.put(k, props.getProperty(k).trim()));
        return entries;
    }

    /** Properties for producers, consumers, admin clients and Streams: bootstrap.servers plus the client config. */
    public Map<String, Object> kafkaProperties() {
        Map<String, Object> props = new HashMap<>();
        clientConfig().forEach((key, value) -> {
            if (SERDE_ONLY_PREFIXES.stream().noneMatch(key::startsWith)) {
                props.put(key, value);
            }
        });
        props.put(StackDescriptor.BOOTSTRAP_SERVERS, bootstrapServers());
        return props;
    }

    /** Config for {@code AvroSerdes}/{@code RegistryClient}: schema.registry.url plus the client config. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>(clientConfig());
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl());
        return config;
    }

    /** One line saying where each address came from, with credentials masked; safe to print or log. */
    public String describe() {
        Resolved kafka = resolve(bootstrap, StackDescriptor.BOOTSTRAP_SERVERS, DEFAULT_BOOTSTRAP);
        Resolved schemas = resolve(registry, StackDescriptor.SCHEMA_REGISTRY_URL, DEFAULT_REGISTRY);
        StringBuilder text = new StringBuilder()
                .append("kafka ").append(Secrets.redactUrl(kafka.value())).append(" (").append(kafka.origin()).append("), ")
                .append("registry ").append(Secrets.redactUrl(schemas.value())).append(" (").append(schemas.origin()).append(')');
        if (clientConfig != null) {
            text.append(", client config ").append(clientConfig).append(' ').append(Secrets.redact(clientConfig()));
        }
        return text.toString();
    }

    private record Resolved(String value, String origin) {
    }

    private Resolved resolve(String option, String key, String fallback) {
        if (option != null && !option.isBlank()) {
            return new Resolved(option.trim(), "option");
        }
        String fromFile = clientConfig().get(key);
        if (fromFile != null && !fromFile.isBlank()) {
            return new Resolved(fromFile, "client config");
        }
        Path file = descriptorFile != null ? descriptorFile : StackDescriptor.defaultLocation();
        Optional<StackDescriptor> stack;
        try {
            stack = StackDescriptor.readIfPresent(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read stack descriptor " + file + ": " + e.getMessage(), e);
        }
        if (stack.isPresent()) {
            String value = key.equals(StackDescriptor.BOOTSTRAP_SERVERS)
                    ? stack.get().bootstrapServers() : stack.get().schemaRegistryUrl();
            return new Resolved(value, "local stack " + file);
        }
        return new Resolved(fallback, "default");
    }
}
