package org.lepistream.loadtest.scaleout;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.vision.synthetic.GenerateOptions;
import org.lepistream.vision.synthetic.SyntheticButterflies;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * A model bundle of freshly initialised networks for load runs: inference costs what a trained model of the same
 * architecture costs, and every routing threshold is 0 so each photo goes to identifications (the review path's
 * heatmap PNGs are then not part of the load — a trained bundle via --model exercises them).
 */
public final class FreshModel {

    /** Architecture sizes: tiny (32 px, tests), quick (the quick preset, 64 px), full (the default, 128 px). */
    public enum Size { TINY, QUICK, FULL }

    private FreshModel() {
    }

    /** Writes the bundle into {@code dir} (must not hold a bundle) and returns its version. */
    public static String write(Path dir, String modelName, Size size) {
        Taxonomy taxonomy = SyntheticButterflies.taxonomy(GenerateOptions.defaults());
        int leaves = taxonomy.leafCount();
        ClassifierConfig cc = switch (size) {
            case TINY -> ClassifierConfig.quick(leaves).withInputSize(32);
            case QUICK -> ClassifierConfig.quick(leaves);
            case FULL -> ClassifierConfig.defaults(leaves);
        };
        SegmenterConfig sc = switch (size) {
            case TINY -> SegmenterConfig.quick().withInputSize(32);
            case QUICK, FULL -> SegmenterConfig.quick();
        };
        return ModelBundle.writeUntrained(dir, modelName, taxonomy, cc, sc,
                Map.of("family", 0.0, "genus", 0.0, "species", 0.0, "overlap", 0.0));
    }

    /** Parses a size name, case-insensitively. */
    public static Size size(String name) {
        try {
            return Size.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model size must be tiny, quick or full, got '" + name + "'");
        }
    }
}
