package org.lepistream.schemas.connect;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What the local stack writes so every other command can find it: a Properties file with bootstrap.servers and
 * schema.registry.url (plus any attributes the stack wants to record, e.g. its pid or data directory).
 */
public record StackDescriptor(String bootstrapServers, String schemaRegistryUrl, Map<String, String> attributes) {
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String HOME_ENV = "LEPISTREAM_HOME";
    public static final String FILE_NAME = "stack.properties";

    public StackDescriptor {
        Objects.requireNonNull(bootstrapServers, BOOTSTRAP_SERVERS);
        Objects.requireNonNull(schemaRegistryUrl, SCHEMA_REGISTRY_URL);
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
    }

    public StackDescriptor(String bootstrapServers, String schemaRegistryUrl) {
        this(bootstrapServers, schemaRegistryUrl, Map.of());
    }

    /** ${LEPISTREAM_HOME:-$HOME/.lepistream}/stack.properties for this process. */
    public static Path defaultLocation() {
        return defaultLocation(System.getenv(), System.getProperty("user.home"));
    }

    /** The default location for a given environment and home directory. */
    public static Path defaultLocation(Map<String, String> env, String userHome) {
        String home = env.get(HOME_ENV);
        Path dir = home != null && !home.isBlank() ? Path.of(home) : Path.of(userHome, ".lepistream");
        return dir.resolve(FILE_NAME);
    }

    /** Reads a descriptor; IOException when the file is missing or lacks one of the two addresses. */
    public static StackDescriptor read(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        String bootstrap = blankToNull(props.getProperty(BOOTSTRAP_SERVERS));
        String registry = blankToNull(props.getProperty(SCHEMA_REGISTRY_URL));
        if (bootstrap == null || registry == null) {
            throw new IOException("Stack descriptor " + file + " lacks " + (bootstrap == null ? BOOTSTRAP_SERVERS : SCHEMA_REGISTRY_URL)
                    + "; restart the local stack to rewrite it");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String key : new TreeMap<>(props).keySet().stream().map(Object::toString).toList()) {
            if (!key.equals(BOOTSTRAP_SERVERS) && !key.equals(SCHEMA_REGISTRY_URL)) {
                attributes.put(key, props.getProperty(key));
            }
        }
        return new StackDescriptor(bootstrap, registry, attributes);
    }

    /** Reads the descriptor when the file exists. */
    public static Optional<StackDescriptor> readIfPresent(Path file) throws IOException {
        try {
            return Optional.of(read(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Writes the descriptor atomically (readers never see half a file), creating parent directories. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Properties props = new Properties();
        attributes.forEach(props::setProperty);
        props.setProperty(BOOTSTRAP_SERVERS, bootstrapServers);
        props.setProperty(SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        Path tmp = Files.createTempFile(dir, FILE_NAME, ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                props.store(out, "lepistream local stack: where Kafka and the schema registry listen");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
