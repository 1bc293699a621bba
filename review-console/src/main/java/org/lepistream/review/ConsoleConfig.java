package org.lepistream.review;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.lepistream.schemas.connect.ConfigFile;
import java.util.TreeMap;
import org.lepistream.schemas.Topics;

/**
 * The console's settings. As in the identification service, keys under {@code lepistream.} are the console's own
 * and every other key (bootstrap.servers, schema.registry.url, SASL/SSL, basic.auth.*) passes through to the Kafka
 * clients and the serde. Reviewers are {@code lepistream.user.<id>=<hash>} lines made by {@code hash-password}.
 */
public final class ConsoleConfig {

    public static final String PREFIX = "lepistream.";
    public static final String USER_PREFIX = "user.";

    private final Map<String, String> own;
    private final Map<String, Object> passthrough;

    private ConsoleConfig(Map<String, String> own, Map<String, Object> passthrough) {
        this.own = own;
        this.passthrough = passthrough;
    }

    public static ConsoleConfig of(Properties props) {
        ConfigFile.Split split = ConfigFile.split(props, PREFIX);
        ConsoleConfig config = new ConsoleConfig(split.own(), split.clients());
        config.validate();
        return config;
    }

    /** Reads a properties file; a missing or unreadable file is a clear error. */
    public static Properties read(Path file) {
        return ConfigFile.read(file);
    }

    /** Entries for the Kafka clients and the serde (no console keys). */
    public Map<String, Object> clientConfig() {
        return new HashMap<>(passthrough);
    }

    public String bootstrapServers() {
        Object v = passthrough.get("bootstrap.servers");
        if (v == null || v.toString().isBlank()) {
            throw new IllegalArgumentException("bootstrap.servers is not set (in the config file or --bootstrap)");
        }
        return v.toString();
    }

    public String applicationId() {
        return string("application.id", "lepistream-review-console");
    }

    /** Where Kafka Streams keeps the materialised queue between restarts. */
    public Optional<Path> stateDir() {
        return optional("state.dir").map(Path::of);
    }

    public String httpHost() {
        return string("http.host", "127.0.0.1");
    }

    /** 0 picks a free port. */
    public int httpPort() {
        return (int) longValue("http.port", 8090, 0, 65535);
    }

    /** labels.csv, taxonomy.json, a dataset folder or a model bundle folder: the taxonomy the search box offers. */
    public Path taxonomy() {
        return optional("taxonomy").map(Path::of).orElseThrow(() -> new IllegalArgumentException(
                PREFIX + "taxonomy is not set: point it at a labels.csv, a taxonomy.json, or a dataset/model folder"));
    }

    /** How long an opened sighting stays reserved for the reviewer who opened it. */
    public Duration claimTtl() {
        return Duration.ofSeconds(longValue("claim.ttl-seconds", 900, 10, 86_400));
    }

    public Duration sessionTtl() {
        return Duration.ofMinutes(longValue("session.ttl-minutes", 720, 1, 43_200));
    }

    /** Reviewer id → password hash. */
    public Map<String, String> users() {
        Map<String, String> users = new TreeMap<>();
        own.forEach((k, v) -> {
            if (k.startsWith(USER_PREFIX) && k.length() > USER_PREFIX.length()) {
                users.put(k.substring(USER_PREFIX.length()), v);
            }
        });
        return users;
    }

    /** Sends the session cookie only over HTTPS (set when the console sits behind TLS). */
    public boolean secureCookies() {
        return Boolean.parseBoolean(string("http.secure-cookies", "false"));
    }

    public String reviewTopic() {
        return string("topic.expert-review", Topics.EXPERT_REVIEW);
    }

    public String labelsTopic() {
        return string("topic.expert-labels", Topics.EXPERT_LABELS);
    }

    public String identificationsTopic() {
        return string("topic.identifications", Topics.IDENTIFICATIONS);
    }

    private void validate() {
        httpPort();
        claimTtl();
        sessionTtl();
        users().forEach((user, hash) -> {
            if (!user.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw new IllegalArgumentException(PREFIX + USER_PREFIX + user
                        + ": reviewer ids are 1-64 letters, digits or . _ @ -");
            }
        });
    }

    private String string(String key, String def) {
        return optional(key).orElse(def);
    }

    private Optional<String> optional(String key) {
        String v = own.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    private long longValue(String key, long def, long min, long max) {
        long v;
        try {
            v = optional(key).map(Long::parseLong).orElse(def);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be a whole number, got '" + own.get(key) + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(PREFIX + key + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }
}
