package org.lepistream.streams.models;

import org.lepistream.decision.routing.Calibration;
import org.lepistream.decision.routing.HierarchicalDecision;
import org.lepistream.decision.routing.OverCam;
import org.lepistream.streams.routing.Router;
import org.lepistream.decision.routing.Thresholds;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * A validated, warmed bundle ready to serve, with the decision and routing rules that go with it. Everything a
 * stream thread needs to turn an analysis into an output comes from the same model, so a swap mid-stream can never
 * mix one model's probabilities with another's taxonomy or thresholds.
 */
public final class ServingModel {

    private final ModelBundle bundle;
    private final HierarchicalDecision decision;
    private final Router router;
    private final OverCam overCam;
    private final double maskFreeAbove;

    /** @param maskFreeAbove species probability from which the segmenter is not run (infinite: always run) */
    ServingModel(ModelBundle bundle, Thresholds thresholds, OverCam overCam, double maskFreeAbove) {
        this.bundle = bundle;
        this.maskFreeAbove = maskFreeAbove;
        this.overCam = overCam;
        this.decision = new HierarchicalDecision(bundle.taxonomy());
        this.router = new Router(thresholds);
    }

    public String version() {
        return bundle.manifest().version();
    }

    public String modelName() {
        return bundle.manifest().modelName();
    }

    public Taxonomy taxonomy() {
        return bundle.taxonomy();
    }

    public int inputSize() {
        return bundle.manifest().preprocessing().inputSize();
    }

    public HierarchicalDecision decision() {
        return decision;
    }

    public Router router() {
        return router;
    }

    /** How this model's attention is binarised for the overlap (calibrated per model). */
    public OverCam overCam() {
        return overCam;
    }

    /**
     * Whether a photo with these rank probabilities needs the mask: below the cascade's threshold the overlap can
     * change its route and a reviewer may see it; at or above, it is accepted on confidence alone.
     */
    public boolean needsMask(double[][] rankProbabilities) {
        return Calibration.Cascade.needsMask(rankProbabilities, maskFreeAbove);
    }

    public Thresholds thresholds() {
        return router.thresholds();
    }

    /** The cascade's threshold this model is served with (positive infinity: every photo is segmented). */
    public double maskFreeAbove() {
        return maskFreeAbove;
    }

    /** For the inference worker only (networks are not thread-safe). */
    ModelBundle bundle() {
        return bundle;
    }

    @Override
    public String toString() {
        return modelName() + "@" + version();
    }
}
