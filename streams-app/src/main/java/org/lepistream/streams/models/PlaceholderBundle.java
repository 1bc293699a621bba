package org.lepistream.streams.models;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lepistream.vision.bundle.BundleManifest;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.bundle.Preprocessing;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * A real but untrained bundle (freshly initialised small networks) for a taxonomy: lets the demo serve within
 * seconds while the real model trains, and is then replaced through a release. Its version says "untrained".
 */
public final class PlaceholderBundle {

    private PlaceholderBundle() {}

    /** Writes the bundle to {@code dir} (must not exist) and returns its version. */
    public static String write(Path dir, String modelName, Taxonomy taxonomy) {
        ClassifierConfig cc = ClassifierConfig.quick(taxonomy.leafCount());
        SegmenterConfig sc = SegmenterConfig.quick();
        String version = "untrained-" + BundleManifest.newVersionId(Instant.now());
        BundleManifest manifest = new BundleManifest(ModelBundle.FORMAT_VERSION, modelName, version,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), cc, sc,
                Preprocessing.imageNet(cc.inputSize()), taxonomy.ranks(), acceptNothing(taxonomy),
                Map.of("trained", "no"), null, Map.of(), null, null);
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier classifier = Classifier.build(cc);
            classifier.initialize(manager, DataType.FLOAT32, classifier.inputShape(1));
            Segmenter segmenter = Segmenter.build(sc);
            segmenter.initialize(manager, DataType.FLOAT32, segmenter.inputShape(1));
            ModelBundle.of(manifest, taxonomy, classifier, segmenter).save(dir);
        }
        return version;
    }

    /**
     * Thresholds no answer clears: a model that learnt nothing must not publish identifications (with the 0.5
     * fallbacks, a random network's guesses were sometimes accepted), so everything goes to review until a trained
     * model replaces it.
     */
    static Map<String, Double> acceptNothing(Taxonomy taxonomy) {
        Map<String, Double> t = new LinkedHashMap<>();
        taxonomy.ranks().forEach(rank -> t.put(rank, 1.0));
        t.put("overlap", 1.0);
        return t;
    }
}
