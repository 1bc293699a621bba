package org.lepistream.vision.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.decision.routing.OverCam;
import org.lepistream.decision.routing.RoutingPolicy;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * The {@code bundle.json} of a model bundle: what the model is (name, version, lineage), how to rebuild and feed
 * its networks, and the routing thresholds and evaluation metrics that travel with it.
 *
 * @param formatVersion layout version of the bundle directory ({@link ModelBundle#FORMAT_VERSION} when written)
 * @param version unique id of this release; {@code parentVersion} is the release it was retrained from (or null)
 * @param createdAt ISO-8601 instant
 * @param segmenter null for a bundle without a segmenter (no masks, no attention-in-mask)
 * @param thresholds routing thresholds by name (e.g. "species.minProbability"), chosen by whoever builds the bundle
 * @param metrics evaluation results (any JSON values)
 * @param checksums SHA-256 (hex) of each parameter file, filled in by {@link ModelBundle#save}
 * @param policy the typed routing policy the bundle was built with, or null in bundles written before it was typed
 *     (their {@code thresholds} map is read instead)
 * @param temperature the softmax temperature fitted on held-out photos (probabilities = softmax(logits / T)), or
 *     null for an uncalibrated model (T = 1)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BundleManifest(int formatVersion, String modelName, String version, String createdAt,
        ClassifierConfig classifier, SegmenterConfig segmenter, Preprocessing preprocessing, List<String> ranks,
        Map<String, Double> thresholds, Map<String, Object> metrics, String parentVersion,
        Map<String, String> checksums, RoutingPolicy policy, Double temperature) {

    private static final DateTimeFormatter VERSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    public BundleManifest {
        ranks = ranks == null ? null : List.copyOf(ranks);
        thresholds = frozen(thresholds);
        metrics = frozen(metrics);
        checksums = frozen(checksums);
        if (temperature != null && !(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
    }

    /**
     * The bundle's own routing layer: the typed policy when the bundle has one, else the legacy thresholds map
     * ({@code measurement} supplies what that map leaves out).
     */
    public RoutingPolicy routingPolicy(OverCam.Settings measurement) {
        return policy != null ? policy : RoutingPolicy.fromLegacy(ranks, thresholds, measurement);
    }

    /** The temperature to divide the logits by (1 when none was fitted). */
    public double temperatureOrOne() {
        return temperature == null ? 1.0 : temperature;
    }

    /** This manifest with a typed routing policy. */
    public BundleManifest withPolicy(RoutingPolicy value) {
        return new BundleManifest(formatVersion, modelName, version, createdAt, classifier, segmenter, preprocessing,
                ranks, thresholds, metrics, parentVersion, checksums, value, temperature);
    }

    /** This manifest with other inference preprocessing (e.g. flip averaging switched on). */
    public BundleManifest withPreprocessing(Preprocessing value) {
        return new BundleManifest(formatVersion, modelName, version, createdAt, classifier, segmenter, value,
                ranks, thresholds, metrics, parentVersion, checksums, policy, temperature);
    }

    /** This manifest with a fitted softmax temperature. */
    public BundleManifest withTemperature(Double value) {
        return new BundleManifest(formatVersion, modelName, version, createdAt, classifier, segmenter, preprocessing,
                ranks, thresholds, metrics, parentVersion, checksums, policy, value);
    }

    /** An unmodifiable copy that keeps the insertion order (so bundle.json stays readable) and allows nulls. */
    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * A fresh manifest for newly trained networks: new version id, created now, this build's preprocessing at the
     * classifier's input size, the taxonomy's ranks, no thresholds, metrics or parent yet.
     */
    public static BundleManifest create(String modelName, Taxonomy taxonomy, ClassifierConfig classifier,
            SegmenterConfig segmenter) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new BundleManifest(ModelBundle.FORMAT_VERSION, modelName, newVersionId(now), now.toString(),
                classifier, segmenter, Preprocessing.imageNet(classifier.inputSize()), taxonomy.ranks(), Map.of(),
                Map.of(), null, Map.of(), null, null);
    }

    /** A sortable, unique release id: UTC time to the second plus 32 random bits, e.g. 20250101T120000Z-1a2b3c4d. */
    public static String newVersionId(Instant at) {
        byte[] salt = new byte[4];
        RANDOM.nextBytes(salt);
        return VERSION_TIME.format(at) + "-" + HexFormat.of().formatHex(salt);
    }

    /**
     * This manifest with other routing thresholds, as a map of doubles (what the trainer's calibration writes); the
     * typed policy is dropped so that the new map, not a stale policy, is what the bundle routes with.
     */
    public BundleManifest withThresholds(Map<String, Double> values) {
        return new BundleManifest(formatVersion, modelName, version, createdAt, classifier, segmenter, preprocessing,
                ranks, values, metrics, parentVersion, checksums, null, temperature);
    }

    /** This manifest with other evaluation metrics. */
    public BundleManifest withMetrics(Map<String, Object> values) {
        return new BundleManifest(formatVersion, modelName, version, createdAt, classifier, segmenter, preprocessing,
                ranks, thresholds, values, parentVersion, checksums, policy, temperature);
    }

    /** This manifest recording the release it was retrained from. */
    public BundleManifest withParentVersion(String parent) {
        return new BundleManifest(formatVersion, modelName, version, createdAt, classifier, segmenter, preprocessing,
                ranks, thresholds, metrics, parent, checksums, policy, temperature);
    }

    BundleManifest withChecksums(Map<String, String> values) {
        return new BundleManifest(formatVersion, modelName, version, createdAt, classifier, segmenter, preprocessing,
                ranks, thresholds, metrics, parentVersion, values, policy, temperature);
    }
}
