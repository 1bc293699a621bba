package org.lepistream.trainer.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.vision.synthetic.GenerateOptions;
import org.lepistream.vision.synthetic.SyntheticButterflies;
import org.lepistream.decision.taxonomy.Taxonomy;

/** Small real inputs for the trainer's integration tests: generated butterflies and untrained 32 px bundles. */
final class Fixtures {
    private Fixtures() {
    }

    /** A generated dataset (train and val splits, masks): 2 families, 1 genus each, 2 species per genus. */
    static Dataset butterflies(Path dir, int perSpecies) throws IOException {
        SyntheticButterflies.generate(dir, GenerateOptions.defaults().withShape(2, 1, 2).withImages(perSpecies, 48));
        return Dataset.load(dir);
    }

    /** A bundle of freshly initialised 32 px networks for this taxonomy; returns its version. */
    static String freshBundle(Path dir, Taxonomy taxonomy, String modelName, Map<String, Double> thresholds) {
        ClassifierConfig cc = ClassifierConfig.quick(taxonomy.leafCount()).withInputSize(32);
        SegmenterConfig sc = SegmenterConfig.quick().withInputSize(32);
        return ModelBundle.writeUntrained(dir, modelName, taxonomy, cc, sc, thresholds);
    }
}
