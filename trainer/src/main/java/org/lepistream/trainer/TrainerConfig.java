package org.lepistream.trainer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.lepistream.schemas.connect.ConfigFile;
import org.lepistream.schemas.Topics;
import org.lepistream.trainer.release.Gate;
import org.lepistream.trainer.sampling.WeightFormula;

/**
 * The trainer's settings: keys under {@code trainer.} are its own (see trainer/config/trainer.properties.example);
 * every other key (bootstrap.servers, schema.registry.url, security, SASL/SSL, registry credentials) goes unchanged
 * to the Kafka clients and the serde, as for the service.
 */
public final class TrainerConfig {
    public static final String PREFIX = "trainer.";

    /** How a candidate starts: from the current model's weights, or from a fresh initialisation. */
    public enum Mode { FINETUNE, SCRATCH }

    /** How a training epoch draws its photos. */
    public enum Sampling { ADAPTIVE, UNIFORM }

    private final Map<String, String> own;
    private final Map<String, Object> clients;

    private TrainerConfig(Map<String, String> own, Map<String, Object> clients) {
        this.own = own;
        this.clients = clients;
    }

    public static TrainerConfig of(Properties props) {
        ConfigFile.Split split = ConfigFile.split(props, PREFIX);
        TrainerConfig c = new TrainerConfig(split.own(), split.clients());
        c.validate();
        return c;
    }

    public static Properties read(Path file) {
        return ConfigFile.read(file);
    }

    private void validate() {
        if (!clients.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("bootstrap.servers is not set (config file, --bootstrap, or a running "
                    + "./lepistream stack)");
        }
        if (validationData() == null) {
            throw new IllegalArgumentException("trainer.validation.data is required: the gate compares candidates on a"
                    + " fixed held-out set");
        }
        retrainLabels();
        retrainPeriod();
        mode();
        sampling();
        weights();
        gate();
    }

    /** Kafka client and serde settings. */
    public Map<String, Object> clientConfig() {
        return Map.copyOf(clients);
    }

    public String get(String key, String fallback) {
        String v = own.get(key);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private Path path(String key, Path fallback) {
        String v = own.get(key);
        return v == null || v.isEmpty() ? fallback : Path.of(v).toAbsolutePath().normalize();
    }

    private int integer(String key, int fallback) {
        try {
            return Integer.parseInt(get(key, Integer.toString(fallback)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be an integer, got '" + own.get(key) + "'");
        }
    }

    private double number(String key, double fallback) {
        try {
            return Double.parseDouble(get(key, Double.toString(fallback)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be a number, got '" + own.get(key) + "'");
        }
    }

    public String applicationId() {
        return get("application.id", "lepistream-trainer");
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
        return get("model.name", "lepistream");
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
        return get("base.split", "train");
    }

    public double baseFraction() {
        return number("base.fraction", 1.0);
    }

    public Path validationData() {
        return path("validation.data", null);
    }

    public String validationSplit() {
        return get("validation.split", "val");
    }

    /** Retrain after this many new trainable labels. */
    public int retrainLabels() {
        int n = integer("retrain.labels", 200);
        if (n < 1) {
            throw new IllegalArgumentException(PREFIX + "retrain.labels must be >= 1, got " + n);
        }
        return n;
    }

    /** ...or when this much time has passed since the last training and at least one new label arrived. */
    public Duration retrainPeriod() {
        String v = get("retrain.period", "PT24H");
        try {
            return Duration.parse(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(PREFIX + "retrain.period must be an ISO-8601 duration like PT24H, got '"
                    + v + "'");
        }
    }

    public Mode mode() {
        return parse(Mode.class, "retrain.mode", "finetune");
    }

    public Sampling sampling() {
        return parse(Sampling.class, "sampling", "adaptive");
    }

    public WeightFormula weights() {
        Map<String, String> w = new LinkedHashMap<>();
        own.forEach((k, v) -> {
            if (k.startsWith("weight.")) {
                w.put(k, v);
            }
        });
        return sampling() == Sampling.UNIFORM ? WeightFormula.UNIFORM : WeightFormula.fromProperties(w);
    }

    public Gate gate() {
        return new Gate(number("gate.tolerance.top1", Gate.DEFAULT.top1Tolerance()),
                number("gate.tolerance.severity", Gate.DEFAULT.severityTolerance()),
                number("gate.tolerance.precision", Gate.DEFAULT.precisionTolerance()));
    }

    /** Target precision of accepted species predictions when thresholds are recalibrated for a release. */
    public double calibrationTarget() {
        return number("calibration.target", 0.95);
    }

    public int epochs() {
        return integer("train.epochs", 8);
    }

    public int batchSize() {
        return integer("train.batch", 16);
    }

    public double learningRate() {
        return number("train.lr", 0.01);
    }

    public int threads() {
        return integer("train.threads", 1);
    }

    public long seed() {
        return Long.parseLong(get("train.seed", "1"));
    }

    /** How long a label waits for its sighting and identification before it is rejected. */
    public Duration joinWait() {
        return Duration.parse(get("join.wait", "PT10M"));
    }

    /** Whether to remember every sighting's photo (needed for audited, accepted sightings). */
    public boolean joinSightings() {
        return Boolean.parseBoolean(get("join.sightings", "true"));
    }

    public String httpHost() {
        return get("http.host", "127.0.0.1");
    }

    /** /metrics port: 0 any free, -1 off. */
    public int httpPort() {
        return integer("http.port", 8086);
    }

    public String topic(String catalogueName) {
        return get("topic." + catalogueName, catalogueName);
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

    private <E extends Enum<E>> E parse(Class<E> type, String key, String fallback) {
        String v = get(key, fallback);
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", got '" + v + "'");
        }
    }
}
