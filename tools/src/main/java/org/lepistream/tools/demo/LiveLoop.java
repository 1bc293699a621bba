package org.lepistream.tools.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.Route;
import org.lepistream.trainer.TrainerService;
import org.lepistream.trainer.ops.TrainerMetrics;

/**
 * The demo's view of the loop: per model version, how much goes to review and how often an accepted answer is right
 * (the demo knows each streamed photo's true taxon), and what the trainer has done.
 */
final class LiveLoop {

    /** Counts of one model version's decisions. */
    private static final class Tally {
        long decided;
        long review;
        long accepted;
        long acceptedJudged;
        long acceptedRight;
    }

    private final Map<String, Map<String, String>> truth = new ConcurrentHashMap<>();
    private final Map<String, Tally> byVersion = new LinkedHashMap<>();

    void truth(String sightingId, Map<String, String> lineage) {
        truth.put(sightingId, lineage);
    }

    /** An audit is an accepted answer an expert checks as well: it counts as accepted, not as review. */
    synchronized void decided(Identification id) {
        Map<String, String> lineage = truth.remove(id.getSightingId());
        Tally t = byVersion.computeIfAbsent(id.getModelVersion(), v -> new Tally());
        t.decided++;
        boolean audit = id.getReasons().equals(List.of(ReviewReason.AUDIT));
        if (id.getRoute() == Route.REVIEW && !audit) {
            t.review++;
            return;
        }
        t.accepted++;
        if (lineage != null && lineage.containsKey(id.getDecidedRank())) {
            t.acceptedJudged++;
            t.acceptedRight += lineage.get(id.getDecidedRank()).equals(id.getDecidedTaxon()) ? 1 : 0;
        }
    }

    /** One line per model version (the last three), each after {@code indent}; "" before the first decision. */
    synchronized String versions(String indent) {
        StringBuilder sb = new StringBuilder();
        List<String> names = List.copyOf(byVersion.keySet());
        for (String v : names.subList(Math.max(0, names.size() - 3), names.size())) {
            Tally t = byVersion.get(v);
            sb.append(indent).append(String.format(Locale.ROOT, "model %s: %d decided, %.0f%% to review, accepted %s",
                    v, t.decided, 100.0 * t.review / t.decided, t.acceptedJudged == 0 ? "-" : String.format(Locale.ROOT,
                            "%.1f%% right (%d of %d)", 100.0 * t.acceptedRight / t.acceptedJudged, t.acceptedRight,
                            t.acceptedJudged)));
        }
        return sb.toString();
    }

    static String trainer(TrainerService trainer) {
        TrainerMetrics m = trainer.metrics();
        return String.format(Locale.ROOT, "%d labels in (%d refused), %d trainings, %d released, %d stopped by the"
                + " gate; %s", m.labelsIngested.total(), m.labelsRejected.total(), m.trainings.total(),
                m.releases.total(), m.rejections.total(), trainer.status());
    }
}
