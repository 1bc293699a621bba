package org.lepistream.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.lepistream.schemas.connect.ConfigFile;
import org.lepistream.schemas.Topics;
import org.lepistream.vision.bundle.InferenceEngine;
import org.lepistream.vision.routing.OverCam;

/**
 * The service's settings: keys under {@code lepistream.} are the service's own; every other key (bootstrap.servers,
 * schema.registry.url, security.protocol, sasl.*, ssl.*, basic.auth.*, Kafka Streams tuning) passes through
 * unchanged to the Kafka clients and the serde, so SASL/SSL deployments need no code.
 */
public final class ServiceConfig {

    public static final String PREFIX = "lepistream.";

    private final Map<String, String> own;
    private final Map<String, Object> passthrough;

    private ServiceConfig(Map<String, String> own, Map<String, Object> passthrough) {
        this.own = own;
        this.passthrough = passthrough;
    }

    /** Splits the properties into the service's own keys and pass-through client keys. */
    public static ServiceConfig of(Properties props) {
        ConfigFile.Split split = ConfigFile.split(props, PREFIX);
        ServiceConfig config = new ServiceConfig(split.own(), split.clients());
        config.validate();
        return config;
    }

    /** Reads a properties file; a missing or unreadable file is a clear error. */
    public static ServiceConfig load(Path file) {
        return of(ConfigFile.read(file));
    }

    /** A copy with extra entries (own keys with the {@code lepistream.} prefix) taking precedence. */
    public ServiceConfig with(Map<String, ?> overrides) {
        Properties p = toProperties();
        overrides.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        return of(p);
    }

    public Properties toProperties() {
        Properties p = new Properties();
        passthrough.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        own.forEach((k, v) -> p.setProperty(PREFIX + k, v));
        return p;
    }

    /** Entries for the Kafka clients and the serde (no service keys). */
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
        return string("application.id", "lepistream-identifier");
    }

    public String modelName() {
        return string("model.name", "lepistream");
    }

    /** The bundle to serve until a release arrives; empty means "wait for the latest release on model-releases". */
    public Optional<Path> initialModel() {
        return optional("model.dir").map(Path::of);
    }

    /** Root that relative bundle URIs in releases are resolved against. */
    public Path modelStoreDir() {
        return Path.of(string("model.store", "models"));
    }

    /**
     * Which runtime computes the networks: onnxruntime (default: the same outputs to 1e-6 and faster at batch 1 and 32
     * on the 2-core CPU, docs/PERFORMANCE.md "Inference engines"), pytorch, or tensorrt (GPU hosts).
     */
    public InferenceEngine engine() {
        try {
            return InferenceEngine.parse(string("engine", InferenceEngine.ONNXRUNTIME.configName()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + "engine: " + e.getMessage(), e);
        }
    }

    public int maxBatchSize() {
        return intValue("batch.max-size", 32, 1, 4096);
    }

    public Duration maxQueueDelay() {
        return Duration.ofMillis(intValue("batch.max-queue-delay-ms", 20, 0, 60_000));
    }

    /** Pending records one stream task may have in the executor before it waits (back-pressure). */
    public int maxInFlightPerTask() {
        return intValue("batch.max-in-flight", 4 * maxBatchSize(), 1, 100_000);
    }

    public int streamThreads() {
        return intValue("stream.threads", 1, 1, 64);
    }

    public int topK() {
        return intValue("top-k", 3, 1, 100);
    }

    /** Threshold overrides from configuration (rank names and "overlap"); the bundle supplies the rest. */
    public Map<String, Double> thresholdOverrides() {
        Map<String, Double> out = new HashMap<>();
        own.forEach((k, v) -> {
            if (k.startsWith("threshold.")) {
                out.put(k.substring("threshold.".length()).toLowerCase(Locale.ROOT), parseDouble(k, v));
            }
        });
        return out;
    }

    public OverCam.Settings overlapSettings() {
        String ruleText = string("overlap.rule", "mean");
        OverCam.Rule rule = OverCam.Settings.parseRule(ruleText);
        double top = 20.0;
        if (rule == OverCam.Rule.TOP_PERCENT && ruleText.trim().length() > 3) {
            top = parseDouble("overlap.rule", ruleText.trim().substring(3));
        }
        String source = string("overlap.source", "attention").trim().toLowerCase(Locale.ROOT);
        if (!source.equals("attention") && !source.equals("gradcam")) {
            throw new IllegalArgumentException("lepistream.overlap.source must be attention or gradcam, got '"
                    + source + "'");
        }
        return new OverCam.Settings(intValue("overlap.level", -1, -1000, 1000), rule, top,
                doubleValue("overlap.mask-threshold", 0.5),
                source.equals("gradcam") ? OverCam.Source.GRAD_CAM : OverCam.Source.ATTENTION);
    }

    /** The Over-CAM setting when configured explicitly (it then wins over the one calibrated with the model). */
    public Optional<OverCam.Settings> overlapOverride() {
        boolean set = optional("overlap.level").isPresent() || optional("overlap.rule").isPresent()
                || optional("overlap.source").isPresent();
        return set ? Optional.of(overlapSettings()) : Optional.empty();
    }

    public long maxImagePixels() {
        return longValue("image.max-pixels", 40_000_000L);
    }

    /** Photos are decoded with subsampling down to at least twice this on the short side (model input ≤ this). */
    public int decodeMinSide() {
        return intValue("image.decode-min-side", 128, 0, 8192);
    }

    /** Interface the health endpoint binds to. */
    public String httpHost() {
        return string("http.host", "127.0.0.1");
    }

    public long maxImageBytes() {
        return longValue("image.max-bytes", 10L * 1024 * 1024);
    }

    public List<String> fetchAllowList() {
        return optional("fetch.allow").map(v -> Arrays.stream(v.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    }

    public Duration fetchTimeout() {
        return Duration.ofMillis(intValue("fetch.timeout-ms", 5000, 1, 600_000));
    }

    /** HTTP port for /health, /ready, /metrics; 0 picks a free port, -1 disables the endpoint. */
    public int httpPort() {
        return intValue("http.port", 8085, -1, 65535);
    }

    public String sightingsTopic() {
        return string("topic.sightings", Topics.SIGHTINGS);
    }

    public String identificationsTopic() {
        return string("topic.identifications", Topics.IDENTIFICATIONS);
    }

    public String reviewTopic() {
        return string("topic.expert-review", Topics.EXPERT_REVIEW);
    }

    public String deadLetterTopic() {
        return string("topic.sightings-dlq", Topics.SIGHTINGS_DLQ);
    }

    public String releasesTopic() {
        return string("topic.model-releases", Topics.MODEL_RELEASES);
    }

    /** Where Kafka Streams keeps its local state (the batching buffer's store). */
    public Optional<Path> stateDir() {
        return optional("state.dir").map(Path::of);
    }

    private void validate() {
        // Touch every typed getter once so a bad value fails at start-up with the key named, not mid-stream.
        engine();
        maxBatchSize();
        maxQueueDelay();
        maxInFlightPerTask();
        streamThreads();
        topK();
        thresholdOverrides();
        overlapSettings();
        maxImagePixels();
        maxImageBytes();
        fetchTimeout();
        httpPort();
        decodeMinSide();
    }

    private String string(String key, String def) {
        return optional(key).orElse(def);
    }

    private Optional<String> optional(String key) {
        String v = own.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    private int intValue(String key, int def, int min, int max) {
        long v = optional(key).map(s -> parseLong(key, s)).orElse((long) def);
        if (v < min || v > max) {
            throw new IllegalArgumentException(PREFIX + key + " must be between " + min + " and " + max + ", got " + v);
        }
        return (int) v;
    }

    private long longValue(String key, long def) {
        long v = optional(key).map(s -> parseLong(key, s)).orElse(def);
        if (v <= 0) {
            throw new IllegalArgumentException(PREFIX + key + " must be positive, got " + v);
        }
        return v;
    }

    private double doubleValue(String key, double def) {
        return optional(key).map(s -> parseDouble(key, s)).orElse(def);
    }

    private static long parseLong(String key, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be a whole number, got '" + v + "'");
        }
    }

    private static double parseDouble(String key, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be a number, got '" + v + "'");
        }
    }
}
