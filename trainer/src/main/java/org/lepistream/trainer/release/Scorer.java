package org.lepistream.trainer.release;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lepistream.decision.analysis.AttentionMap;
import org.lepistream.vision.bundle.Identifier;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.Sample;
import org.lepistream.decision.routing.Calibration;
import org.lepistream.decision.routing.HierarchicalDecision;
import org.lepistream.decision.routing.OverCam;
import org.lepistream.decision.routing.RoutingPolicy;
import org.lepistream.decision.routing.Thresholds;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * Runs a model over the fixed validation photos once and scores it as the service would route it: the same
 * hierarchical decision, Over-CAM overlap and thresholds (vision's routing logic, shared with streams-app).
 */
public final class Scorer {
    private final List<Sample> samples;
    private final List<BufferedImage> images = new ArrayList<>();

    /** Decodes the validation photos once; they are reused for every model scored. */
    public Scorer(List<Sample> validation) {
        if (validation.isEmpty()) {
            throw new IllegalArgumentException("the validation set is empty: nothing to gate on");
        }
        this.samples = List.copyOf(validation);
        ImageDecoder decoder = new ImageDecoder();
        for (Sample s : samples) {
            try {
                images.add(decoder.decode(s.image()));
            } catch (IOException e) {
                throw new UncheckedIOException("validation photo " + s.image() + " cannot be decoded", e);
            }
        }
    }

    public int size() {
        return samples.size();
    }

    /** The validation photos, in scoring order. */
    public List<Sample> samples() {
        return samples;
    }

    /** The model's view of every validation photo, with the true labels (what calibration needs). */
    public List<Calibration.Observation> observe(ModelBundle bundle) {
        List<Calibration.Observation> out = new ArrayList<>();
        try (Identifier identifier = bundle.newIdentifier()) {
            for (int from = 0; from < images.size(); from += 32) {
                List<ImageAnalysis> part = identifier.analyse(images.subList(from, Math.min(images.size(), from + 32)));
                for (int i = 0; i < part.size(); i++) {
                    ImageAnalysis a = part.get(i);
                    // With Grad-CAM, so recalibration can choose it over the CBAM levels, as `calibrate` does.
                    out.add(Calibration.Observation.of(a, samples.get(from + i).labels()));
                }
            }
        }
        return out;
    }

    /** Scores observations under routing thresholds in the release format ("species", "overlap", "overlap.level"…). */
    public static ModelScore score(List<Calibration.Observation> obs, Taxonomy taxonomy, Map<String, Double> thresholds) {
        int leaf = taxonomy.depth() - 1;
        // The same resolution the service routes with, so the gate scores what would be served.
        RoutingPolicy.Resolved policy = RoutingPolicy.resolve(taxonomy.ranks(),
                RoutingPolicy.fromLegacy(taxonomy.ranks(), thresholds, OverCam.Settings.DEFAULT), RoutingPolicy.NONE,
                RoutingPolicy.NONE, OverCam.Settings.DEFAULT);
        Thresholds t = policy.thresholds();
        OverCam overCam = new OverCam(policy.overCam());
        HierarchicalDecision decision = new HierarchicalDecision(taxonomy);
        int n = 0;
        int right = 0;
        double severity = 0;
        int accepted = 0;
        int acceptedRight = 0;
        for (Calibration.Observation o : obs) {
            int truth = o.labels()[leaf];
            if (truth < 0) {
                continue;
            }
            n++;
            double[] p = o.rankProbabilities()[leaf];
            int top = 0;
            for (int i = 1; i < p.length; i++) {
                top = p[i] > p[top] ? i : top;
            }
            right += top == truth ? 1 : 0;
            severity += taxonomy.distanceToCommonAncestor(truth, top);
            HierarchicalDecision.Decision d = decision.decide(o.rankProbabilities(), t.perRank());
            // Above the cascade's threshold the service does not segment, and the overlap is not consulted.
            boolean masked = Calibration.Cascade.needsMask(o.rankProbabilities(), policy.maskFreeAbove());
            double overlap = masked ? overlap(o, overCam) : Double.NaN;
            // The service's Router identifies exactly these (no LOW_OVERLAP, LOW_CONFIDENCE or ROLLED_UP reason).
            if (d.confident() && d.rank() == leaf && (!masked || overlap >= t.overlap())) {
                accepted++;
                acceptedRight += d.index() == truth ? 1 : 0;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no validation photo has a species label");
        }
        return new ModelScore(n, (double) right / n, severity / n,
                accepted == 0 ? Double.NaN : (double) acceptedRight / accepted, 1.0 - (double) accepted / n);
    }

    private static double overlap(Calibration.Observation o, OverCam overCam) {
        if (o.mask() == null || o.attention().isEmpty()) {
            return 0.0; // as the service does (Verdicts): without a mask there is no evidence the insect was seen
        }
        AttentionMap m = o.attention().get(overCam.levelIndex(o.attention().size()));
        return overCam.overlap(m.values(), m.height(), m.width(), o.mask(), o.maskSize(), o.maskSize());
    }
}
