package org.lepistream.streams;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.lepistream.vision.bundle.BundleManifest;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.vision.taxonomy.Taxonomy;

/** Real model bundles made from freshly initialised (untrained) networks: real DJL inference in seconds. */
public final class FreshBundles {

    public static final Taxonomy TAXONOMY = Taxonomy.fromPaths(Taxonomy.DEFAULT_RANKS, List.of(
            new String[] {"Nymphalidae", "Vanessa", "Vanessa atalanta"},
            new String[] {"Nymphalidae", "Vanessa", "Vanessa cardui"},
            new String[] {"Nymphalidae", "Aglais", "Aglais io"},
            new String[] {"Pieridae", "Pieris", "Pieris rapae"},
            new String[] {"Pieridae", "Pieris", "Pieris napi"}));

    private FreshBundles() {}

    /**
     * Writes a bundle with small (32 px) networks and returns its version.
     *
     * @param thresholds routing thresholds recorded in the bundle
     */
    public static String write(Path dir, String modelName, Map<String, Double> thresholds) {
        ClassifierConfig cc = ClassifierConfig.quick(TAXONOMY.leafCount()).withInputSize(32);
        SegmenterConfig sc = SegmenterConfig.quick().withInputSize(32);
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier classifier = Classifier.build(cc);
            classifier.initialize(manager, DataType.FLOAT32, classifier.inputShape(1));
            Segmenter segmenter = Segmenter.build(sc);
            segmenter.initialize(manager, DataType.FLOAT32, segmenter.inputShape(1));
            BundleManifest manifest = BundleManifest.create(modelName, TAXONOMY, cc, sc).withThresholds(thresholds);
            ModelBundle.of(manifest, TAXONOMY, classifier, segmenter).save(dir);
            return manifest.version();
        }
    }
}
