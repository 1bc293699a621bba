package org.lepistream.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.stream.Stream;
import org.lepistream.schemas.connect.ConfigFile;
import org.lepistream.schemas.connect.SettingKeys;
import org.lepistream.schemas.connect.Settings;
import org.lepistream.schemas.Topics;
import org.lepistream.streams.intake.SightingLimits;
import org.lepistream.vision.bundle.InferenceEngine;
import org.lepistream.decision.routing.OverCam;

/**
 * The service's settings: keys under {@code lepistream.} are the service's own; every other key (bootstrap.servers,
 * schema.registry.url, security.protocol, sasl.*, ssl.*, basic.auth.*, Kafka Streams tuning) passes through
 * unchanged to the Kafka clients and the serde, so SASL/SSL deployments need no code.
 */
public final class ServiceConfig {

    public static final String PREFIX = "lepistream.";

    /** Every key the service reads (config/app.properties.example documents each; a test holds the two together). */
    public static final SettingKeys KEYS = SettingKeys.under(PREFIX,
            "application.id", "model.name", "model.dir", "model.store", "engine",
            "batch.max-size", "batch.max-queue-delay-ms", "batch.max-in-flight", "stream.threads", "top-k",
            "overlap.level", "overlap.rule", "overlap.source", "overlap.mask-threshold", "overlap.mask-free-above",
            "image.max-pixels", "image.max-bytes", "image.decode-min-side", "fetch.allow", "fetch.timeout-ms",
            "fetch.max-concurrent", "fetch.max-per-host",
            "limits.id-chars", "limits.source-chars", "limits.content-type-chars", "limits.uri-chars",
            "limits.metadata-entries", "limits.metadata-bytes",
            "repeats.window-ms", "audit.share", "no-butterfly.max-mask-area", "health.ready-after-ms", "health.live-after-ms", "health.check-interval-ms",
            "http.host", "http.port", "state.dir",
            "topic.sightings", "topic.identifications", "topic.expert-review", "topic.sightings-dlq",
            "topic.model-releases")
            .withFamilies("threshold.");

    private final Settings settings;

    private ServiceConfig(Settings settings) {
        this.settings = settings;
    }

    /** Splits the properties into the service's own keys and pass-through client keys. */
    public static ServiceConfig of(Properties props) {
        ServiceConfig config = new ServiceConfig(ConfigFile.split(props, KEYS));
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
        return settings.toProperties();
    }

    /** Entries for the Kafka clients and the serde (no service keys). */
    public Map<String, Object> clientConfig() {
        return settings.clients();
    }

    public String bootstrapServers() {
        return settings.bootstrapServers();
    }

    public String applicationId() {
        return settings.string("application.id", "lepistream-identifier");
    }

    public String modelName() {
        return settings.string("model.name", "lepistream");
    }

    /** The bundle to serve until a release arrives; empty means "wait for the latest release on model-releases". */
    public Optional<Path> initialModel() {
        return settings.optional("model.dir").map(Path::of);
    }

    /** Root that relative bundle URIs in releases are resolved against. */
    public Path modelStoreDir() {
        return Path.of(settings.string("model.store", "models"));
    }

    /**
     * Which runtime computes the networks: onnxruntime (default: the same outputs to 1e-6 and faster at batch 1 and 32
     * on the 2-core CPU, docs/PERFORMANCE.md "Inference engines"), pytorch, or tensorrt (GPU hosts).
     */
    public InferenceEngine engine() {
        try {
            return InferenceEngine.parse(settings.string("engine", InferenceEngine.ONNXRUNTIME.configName()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + "engine: " + e.getMessage(), e);
        }
    }

    public int maxBatchSize() {
        return settings.integer("batch.max-size", 32, 1, 4096);
    }

    public Duration maxQueueDelay() {
        return Duration.ofMillis(settings.integer("batch.max-queue-delay-ms", 20, 0, 60_000));
    }

    /** Pending records one stream task may have in the executor before it waits (back-pressure). */
    public int maxInFlightPerTask() {
        return settings.integer("batch.max-in-flight", 4 * maxBatchSize(), 1, 100_000);
    }

    /**
     * Stream threads (Kafka Streams' num.stream.threads). Photos are decoded on them, and a 12 MP JPEG takes 80–100
     * ms even subsampled, so one thread capped phone photos near 10 a second; two gave ×1.47 on them and no loss on
     * small photos (docs/PERFORMANCE.md, "The service alone, draining a backlog").
     */
    public int streamThreads() {
        return settings.integer("stream.threads", DEFAULT_STREAM_THREADS, 1, 64);
    }

    /** Two: see {@link #streamThreads()}. */
    static final int DEFAULT_STREAM_THREADS = 2;

    public int topK() {
        return settings.integer("top-k", 3, 1, 100);
    }

    /** Threshold overrides from configuration (rank names and "overlap"); the bundle supplies the rest. */
    public Map<String, Double> thresholdOverrides() {
        Map<String, Double> out = new HashMap<>();
        settings.startingWith("threshold.").keySet().stream().filter(k -> settings.optional(k).isPresent())
                .forEach(k -> out.put(k.substring("threshold.".length()).toLowerCase(Locale.ROOT), settings.number(k, 0)));
        return out;
    }

    public OverCam.Settings overlapSettings() {
        String ruleText = settings.string("overlap.rule", "mean");
        OverCam.Rule rule = OverCam.Settings.parseRule(ruleText);
        double top = 20.0;
        if (rule == OverCam.Rule.TOP_PERCENT && ruleText.trim().length() > 3) {
            try {
                top = Double.parseDouble(ruleText.trim().substring(3));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(PREFIX + "overlap.rule: top<N> needs a number, got '" + ruleText
                        + "'");
            }
        }
        String source = settings.string("overlap.source", "attention").trim().toLowerCase(Locale.ROOT);
        if (!source.equals("attention") && !source.equals("gradcam")) {
            throw new IllegalArgumentException("lepistream.overlap.source must be attention or gradcam, got '"
                    + source + "'");
        }
        return new OverCam.Settings(settings.integer("overlap.level", -1, -1000, 1000), rule, top,
                settings.number("overlap.mask-threshold", 0.5),
                source.equals("gradcam") ? OverCam.Source.GRAD_CAM : OverCam.Source.ATTENTION);
    }

    /** The Over-CAM setting when configured explicitly (it then wins over the one calibrated with the model). */
    public Optional<OverCam.Settings> overlapOverride() {
        boolean set = Stream.of("overlap.level", "overlap.rule", "overlap.source")
                .anyMatch(k -> settings.optional(k).isPresent());
        return set ? Optional.of(overlapSettings()) : Optional.empty();
    }

    public long maxImagePixels() {
        return settings.whole("image.max-pixels", 40_000_000L, 1, Long.MAX_VALUE);
    }

    /** Photos are decoded with subsampling down to at least twice this on the short side (model input ≤ this). */
    public int decodeMinSide() {
        return settings.integer("image.decode-min-side", 128, 0, 8192);
    }

    /** Interface the health endpoint binds to. */
    public String httpHost() {
        return settings.string("http.host", "127.0.0.1");
    }

    public long maxImageBytes() {
        return settings.whole("image.max-bytes", 10L * 1024 * 1024, 1, Long.MAX_VALUE);
    }

    public List<String> fetchAllowList() {
        return settings.list("fetch.allow");
    }

    /** Total deadline of one image fetch from its start: connection, headers and the whole body. */
    public Duration fetchTimeout() {
        return Duration.ofMillis(settings.integer("fetch.timeout-ms", 5000, 1, 600_000));
    }

    /** Image fetches running at once, over all hosts (they run off the stream threads). */
    public int fetchMaxConcurrent() {
        return settings.integer("fetch.max-concurrent", 16, 1, 1024);
    }

    /** Image fetches running at once against one host: a slow host can hold only these slots. */
    public int fetchMaxPerHost() {
        return settings.integer("fetch.max-per-host", 4, 1, 1024);
    }

    /** The largest each field of a sighting may be; over it, the sighting is dead-lettered with the field's reason. */
    public SightingLimits sightingLimits() {
        SightingLimits d = SightingLimits.DEFAULTS;
        return new SightingLimits(
                settings.integer("limits.id-chars", d.maxIdChars(), 1, 65_536),
                settings.integer("limits.source-chars", d.maxSourceChars(), 1, 65_536),
                settings.integer("limits.content-type-chars", d.maxContentTypeChars(), 1, 65_536),
                settings.integer("limits.uri-chars", d.maxUriChars(), 1, 65_536),
                settings.integer("limits.metadata-entries", d.maxMetadataEntries(), 0, 65_536),
                settings.integer("limits.metadata-bytes", d.maxMetadataBytes(), 0, 1024 * 1024));
    }

    /**
     * Share of accepted identifications sent to an expert anyway (reason AUDIT, chosen by a hash of the sightingId),
     * so the console can measure live accepted precision. 0 turns audits off.
     */
    public double auditShare() {
        return settings.fraction("audit.share", 0.02);
    }

    /**
     * The cascade: a sighting whose species probability is at least this is accepted without running the segmenter
     * (its overlap is not measured); {@code calibrate} prints the value that keeps the calibrated precision. Absent:
     * every sighting is segmented.
     */
    public OptionalDouble maskFreeAbove() {
        return settings.optional("overlap.mask-free-above").isEmpty() ? OptionalDouble.empty()
                : OptionalDouble.of(settings.fraction("overlap.mask-free-above", 1));
    }

    /**
     * A sighting whose mask has less sure-insect area than this share of the frame goes to review as NO_BUTTERFLY.
     * Model-specific: {@code evaluate --no-butterfly} measures it. 0 (the default) turns the check off.
     */
    public double noButterflyMaxArea() {
        return settings.fraction("no-butterfly.max-mask-area", 0);
    }

    /** How long a decided sightingId is remembered, so an upstream retry gets no second decision (0 = off). */
    public Duration repeatWindow() {
        return Duration.ofMillis(settings.whole("repeats.window-ms", Duration.ofDays(1).toMillis(), 0,
                Duration.ofDays(30).toMillis()));
    }

    /** No progress (or no broker) for longer than this turns /ready red. */
    public Duration readyAfter() {
        return Duration.ofMillis(settings.integer("health.ready-after-ms", 15_000, 1_000, 3_600_000));
    }

    /** No progress (or no broker, or no RUNNING state) for longer than this turns /health red too. */
    public Duration liveAfter() {
        return Duration.ofMillis(settings.integer("health.live-after-ms", 60_000, 1_000, 3_600_000));
    }

    /** How often progress and the broker are checked. */
    public Duration healthCheckInterval() {
        return Duration.ofMillis(settings.integer("health.check-interval-ms", 1_000, 100, 60_000));
    }

    /** HTTP port for /health, /ready, /metrics; 0 picks a free port, -1 disables the endpoint. */
    public int httpPort() {
        return settings.integer("http.port", 8085, -1, 65535);
    }

    public String sightingsTopic() {
        return settings.string("topic.sightings", Topics.SIGHTINGS);
    }

    public String identificationsTopic() {
        return settings.string("topic.identifications", Topics.IDENTIFICATIONS);
    }

    public String reviewTopic() {
        return settings.string("topic.expert-review", Topics.EXPERT_REVIEW);
    }

    public String deadLetterTopic() {
        return settings.string("topic.sightings-dlq", Topics.SIGHTINGS_DLQ);
    }

    public String releasesTopic() {
        return settings.string("topic.model-releases", Topics.MODEL_RELEASES);
    }

    /** Where Kafka Streams keeps its local state (the batching buffer's store). */
    public Optional<Path> stateDir() {
        return settings.optional("state.dir").map(Path::of);
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
        fetchMaxConcurrent();
        fetchMaxPerHost();
        sightingLimits();
        if (liveAfter().compareTo(readyAfter()) < 0) {
            throw new IllegalArgumentException(PREFIX + "health.live-after-ms must not be shorter than "
                    + PREFIX + "health.ready-after-ms");
        }
        healthCheckInterval();
        httpPort();
        decodeMinSide();
    }
}
