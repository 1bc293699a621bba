package org.lepistream.trainer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.lepistream.schemas.connect.ConfigFile;
import org.lepistream.schemas.connect.SettingKeys;
import org.lepistream.schemas.connect.Settings;
import org.lepistream.schemas.Topics;
import org.lepistream.trainer.release.Gate;
import org.lepistream.trainer.release.LiveGate;
import org.lepistream.trainer.release.SegmenterTuning;
import org.lepistream.trainer.sampling.WeightFormula;
import org.lepistream.vision.training.NoButterflyTuning;

/**
 * The trainer's settings: keys under {@code lepistream.} are its own, as for every process (see trainer/config/trainer.properties.example);
 * every other key (bootstrap.servers, schema.registry.url, security, SASL/SSL, registry credentials) goes unchanged
 * to the Kafka clients and the serde, as for the service.
 */
public final class TrainerConfig {
    public static final String PREFIX = "lepistream.";

    /** Every key the trainer reads (config/trainer.properties.example documents each; a test holds the two together). */
    public static final SettingKeys KEYS = SettingKeys.under(PREFIX,
            "application.id", "work.dir", "dataset.dir", "model.store", "model.name", "model.initial",
            "base.data", "base.split", "base.fraction", "validation.data", "validation.split",
            "retrain.labels", "retrain.period", "retrain.mode", "sampling",
            "weight.easy", "weight.low-overlap", "weight.wrong", "weight.neutral", "weight.class-balance",
            "weight.min", "weight.max",
            "gate.tolerance.top1", "gate.tolerance.severity", "gate.tolerance.precision", "calibration.target",
            "gate.live.min-audits", "gate.tolerance.live-precision",
            "no-butterfly.min-labels", "no-butterfly.epochs", "no-butterfly.min-agreement",
            "train.epochs", "train.batch", "train.lr", "train.threads", "train.seed",
            "join.wait", "join.sightings", "fetch.allow", "fetch.timeout-ms", "image.max-bytes",
            "http.host", "http.port",
            "topic.expert-labels", "topic.expert-review", "topic.identifications", "topic.sightings",
            "topic.model-releases").withRetiredPrefix("trainer.");

    /** How a candidate starts: from the current model's weights, or from a fresh initialisation. */
    public enum Mode { FINETUNE, SCRATCH }

    /**
     * How a round draws its photos: by the adaptive formula, every photo once, or every label class equally often
     * (full inverse frequency, outcomes ignored: the baseline that separates the formula's outcome factors from
     * plain class balancing).
     */
    public enum Sampling { ADAPTIVE, UNIFORM, CLASS_BALANCED }

    private final Settings settings;

    private TrainerConfig(Settings settings) {
        this.settings = settings;
    }

    public static TrainerConfig of(Properties props) {
        TrainerConfig c = new TrainerConfig(ConfigFile.split(props, KEYS));
        c.validate();
        return c;
    }

    public static Properties read(Path file) {
        return ConfigFile.read(file);
    }

    private void validate() {
        settings.bootstrapServers();
        if (validationData() == null) {
            throw new IllegalArgumentException("lepistream.validation.data is required: the gate compares candidates on a"
                    + " fixed held-out set");
        }
        retrainLabels();
        retrainPeriod();
        mode();
        sampling();
        weights();
        gate();
        liveGate();
        segmenterTuning();
        epochs();
        batchSize();
        threads();
        seed();
        joinWait();
        joinSightings();
        httpPort();
    }

    /** Kafka client and serde settings. */
    public Map<String, Object> clientConfig() {
        return Map.copyOf(settings.clients());
    }

    private Path path(String key, Path fallback) {
        return settings.optional(key).map(v -> Path.of(v).toAbsolutePath().normalize()).orElse(fallback);
    }

    public String applicationId() {
        return settings.string("application.id", "lepistream-trainer");
    }

    /** State, join store and candidate bundles. */
    public Path workDir() {
        return path("work.dir", Path.of("trainer-work").toAbsolutePath());
    }

    /** The dataset store (vision layout + example metadata). */
    public Path datasetDir() {
        return path("dataset.dir", workDir().resolve("dataset"));
    }

    /** Where released bundles are written (the service's model store, or a folder it can read). */
    public Path modelStore() {
        return path("model.store", workDir().resolve("models"));
    }

    public String modelName() {
        return settings.string("model.name", "lepistream");
    }

    /** Bundle to start from when no release of the model exists yet. */
    public Path initialModel() {
        return path("model.initial", null);
    }

    /** Optional labelled folder whose {@link #baseSplit()} joins every training run (e.g. the original train set). */
    public Path baseData() {
        return path("base.data", null);
    }

    public String baseSplit() {
        return settings.string("base.split", "train");
    }

    public double baseFraction() {
        return settings.number("base.fraction", 1.0);
    }

    public Path validationData() {
        return path("validation.data", null);
    }

    public String validationSplit() {
        return settings.string("validation.split", "val");
    }

    /** Retrain after this many new trainable labels. */
    public int retrainLabels() {
        return settings.integer("retrain.labels", 200, 1, Integer.MAX_VALUE);
    }

    /** ...or when this much time has passed since the last training and at least one new label arrived. */
    public Duration retrainPeriod() {
        return settings.duration("retrain.period", Duration.ofHours(24));
    }

    public Mode mode() {
        return settings.choice(Mode.class, "retrain.mode", Mode.FINETUNE);
    }

    public Sampling sampling() {
        return settings.choice(Sampling.class, "sampling", Sampling.ADAPTIVE);
    }

    public WeightFormula weights() {
        return switch (sampling()) {
            case UNIFORM -> WeightFormula.UNIFORM;
            case CLASS_BALANCED -> WeightFormula.CLASS_BALANCED;
            case ADAPTIVE -> WeightFormula.fromProperties(settings.startingWith("weight."));
        };
    }

    public Gate gate() {
        return new Gate(settings.number("gate.tolerance.top1", Gate.DEFAULT.top1Tolerance()),
                settings.number("gate.tolerance.severity", Gate.DEFAULT.severityTolerance()),
                settings.number("gate.tolerance.precision", Gate.DEFAULT.precisionTolerance()));
    }

    /** When and how experts' NOT_A_BUTTERFLY photos tune the candidate's segmenter. */
    public SegmenterTuning segmenterTuning() {
        SegmenterTuning d = SegmenterTuning.DEFAULT;
        NoButterflyTuning t = d.tuning();
        return new SegmenterTuning(settings.integer("no-butterfly.min-labels", d.minLabels(), 0, 1_000_000),
                new NoButterflyTuning(settings.integer("no-butterfly.epochs", t.epochs(), 1, 1000),
                        t.butterfliesPerEmpty(), t.learningRate(), seed()),
                settings.fraction("no-butterfly.min-agreement", d.minAgreement()));
    }

    /** The gate's check on the audited live photos (see {@link LiveGate}); min-audits 0 turns it off. */
    public LiveGate liveGate() {
        return new LiveGate(settings.integer("gate.live.min-audits", LiveGate.DEFAULT.minAudits(), 0, 1_000_000),
                settings.number("gate.tolerance.live-precision", LiveGate.DEFAULT.tolerance()));
    }

    /** Target precision of accepted species predictions when thresholds are recalibrated for a release. */
    public double calibrationTarget() {
        return settings.number("calibration.target", 0.95);
    }

    public int epochs() {
        return settings.integer("train.epochs", 8, 1, 10_000);
    }

    public int batchSize() {
        return settings.integer("train.batch", 16, 1, 4096);
    }

    public double learningRate() {
        return settings.number("train.lr", 0.01);
    }

    public int threads() {
        return settings.integer("train.threads", 1, 0, 1024);
    }

    public long seed() {
        return settings.whole("train.seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** How long a label waits for its sighting and identification before it is rejected. */
    public Duration joinWait() {
        return settings.duration("join.wait", Duration.ofMinutes(10));
    }

    /**
     * Where photos that came by URI may be fetched from, as the service's {@code lepistream.fetch.allow} says (the
     * same allow-list rules; empty refuses every URI, and such labels are rejected NO_IMAGE).
     */
    public List<String> fetchAllowList() {
        return settings.list("fetch.allow");
    }

    /** Total deadline of one photo fetch (headers and body). */
    public Duration fetchTimeout() {
        return Duration.ofMillis(settings.integer("fetch.timeout-ms", 5000, 1, 600_000));
    }

    /** Largest photo fetched by URI. */
    public long maxImageBytes() {
        return settings.whole("image.max-bytes", 10L * 1024 * 1024, 1, Long.MAX_VALUE);
    }

    /** Whether to remember every sighting's photo (needed for audited, accepted sightings). */
    public boolean joinSightings() {
        return settings.bool("join.sightings", true);
    }

    public String httpHost() {
        return settings.string("http.host", "127.0.0.1");
    }

    /** /metrics port: 0 any free, -1 off. */
    public int httpPort() {
        return settings.integer("http.port", 8086, -1, 65535);
    }

    public String topic(String catalogueName) {
        return settings.string("topic." + catalogueName, catalogueName);
    }

    public String labelsTopic() {
        return topic(Topics.EXPERT_LABELS);
    }

    public String reviewTopic() {
        return topic(Topics.EXPERT_REVIEW);
    }

    public String identificationsTopic() {
        return topic(Topics.IDENTIFICATIONS);
    }

    public String sightingsTopic() {
        return topic(Topics.SIGHTINGS);
    }

    public String releasesTopic() {
        return topic(Topics.MODEL_RELEASES);
    }
}
