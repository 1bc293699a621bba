package org.lepistream.streams;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.decision.taxonomy.Taxonomy;

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
        return ModelBundle.writeUntrained(dir, modelName, TAXONOMY, cc, sc, thresholds);
    }

    /**
     * As {@link #write}, but the segmenter sees no insect anywhere, whatever the random initialisation: every one of
     * its weights is zero, so each pixel's mask is 0.5 and none reaches {@code NoButterfly.SURE}. (A random untrained
     * segmenter may saturate and mark most of the frame as sure.)
     */
    public static String writeBlind(Path dir, String modelName, Map<String, Double> thresholds) {
        Path untrained = dir.resolveSibling(dir.getFileName() + "-untrained");
        String version = write(untrained, modelName, thresholds);
        try (ModelBundle bundle = ModelBundle.load(untrained)) {
            bundle.segmenter().orElseThrow().getParameters().forEach(p -> p.getValue().getArray().muli(0));
            bundle.save(dir);
        }
        return version;
    }
}
