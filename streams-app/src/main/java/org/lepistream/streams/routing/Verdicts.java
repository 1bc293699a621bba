package org.lepistream.streams.routing;

import org.lepistream.decision.routing.HierarchicalDecision;
import org.lepistream.decision.routing.NoButterfly;
import org.lepistream.decision.routing.OverCam;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.RankPrediction;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.Route;
import org.lepistream.schemas.TaxonScore;
import org.lepistream.schemas.Timings;
import org.lepistream.decision.analysis.AttentionMap;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.decision.taxonomy.Taxonomy;

/** Turns one image analysis into an Identification: top-k per rank, decided taxon, Over-CAM overlap, route, reasons. */
public final class Verdicts {

    /** The identification and the attention level the overlap was measured on (for the review overlay). */
    public record Verdict(Identification identification, AttentionMap attention) {}

    private final int topK;
    private final Audit audit;
    private final NoButterfly noButterfly;

    public Verdicts(int topK) {
        this(topK, Audit.NONE, NoButterfly.OFF);
    }

    /**
     * @param audit which accepted identifications go to review anyway, as AUDIT
     * @param noButterfly when the mask says the photo shows no insect (review as NO_BUTTERFLY)
     */
    public Verdicts(int topK, Audit audit, NoButterfly noButterfly) {
        this.topK = topK;
        this.audit = audit;
        this.noButterfly = noButterfly;
    }

    /**
     * @param taxonomy, decision, router, overCam and modelVersion all belong to the model that produced
     *     {@code analysis}
     */
    public Verdict judge(String sightingId, ImageAnalysis analysis, Taxonomy taxonomy, HierarchicalDecision decision,
            Router router, OverCam overCam, String modelVersion, Timings timings) {
        double[][] p = analysis.rankProbabilities();
        HierarchicalDecision.Decision d = decision.decide(p, router.thresholds().perRank());
        AttentionMap map = overCam.select(analysis);
        // Not measured (NaN) when the cascade skipped the segmenter: the router then does not consult it.
        double overlap = analysis.maskSkipped() ? Double.NaN : analysis.mask() == null ? 0.0
                : overCam.overlap(map.values(), map.height(), map.width(), analysis.mask(), analysis.maskSize(),
                        analysis.maskSize());
        int leaf = taxonomy.depth() - 1;
        Router.Routing routing = router.route(d, leaf, overlap);
        if (noButterfly.flags(analysis.mask())) {
            // Whatever the classifier says, it said it about a photo without a butterfly in it.
            List<ReviewReason> reasons = new ArrayList<>(routing.reasons());
            reasons.add(0, ReviewReason.NO_BUTTERFLY);
            routing = new Router.Routing(Route.REVIEW, reasons);
        } else if (routing.route() == Route.IDENTIFIED && audit.selects(sightingId)) {
            routing = new Router.Routing(Route.REVIEW, List.of(ReviewReason.AUDIT));
        }
        List<RankPrediction> predictions = new ArrayList<>(taxonomy.depth());
        for (int r = 0; r < taxonomy.depth(); r++) {
            List<TaxonScore> candidates = new ArrayList<>(topK);
            for (TopK.Candidate c : TopK.of(p[r], Math.min(topK, p[r].length))) {
                candidates.add(new TaxonScore(taxonomy.name(r, c.index()), c.probability()));
            }
            predictions.add(new RankPrediction(taxonomy.ranks().get(r), candidates));
        }
        Identification id = Identification.newBuilder()
                .setSightingId(sightingId)
                .setModelVersion(modelVersion)
                .setPredictions(predictions)
                .setDecidedRank(taxonomy.ranks().get(d.rank()))
                .setDecidedTaxon(taxonomy.name(d.rank(), d.index()))
                .setOverlap(overlap)
                .setConfidence(d.probability())
                .setRoute(routing.route())
                .setReasons(routing.reasons())
                .setTimings(timings)
                .setProcessedAt(Instant.now())
                .build();
        return new Verdict(id, map);
    }
}
