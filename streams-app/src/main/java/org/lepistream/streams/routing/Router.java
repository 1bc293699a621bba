package org.lepistream.streams.routing;

import org.lepistream.decision.routing.Thresholds;
import org.lepistream.decision.routing.HierarchicalDecision;
import java.util.ArrayList;
import java.util.List;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.Route;

/** Accepts a decision as an identification or sends it to an expert, naming every reason an expert is needed. */
public final class Router {

    /** Where a sighting goes and why. */
    public record Routing(Route route, List<ReviewReason> reasons) {
        public Routing {
            reasons = List.copyOf(reasons);
        }
    }

    private final Thresholds thresholds;

    public Router(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    /**
     * @param decision hierarchical decision
     * @param leafRank index of the deepest rank (species)
     * @param overlap Over-CAM overlap in [0, 1]
     */
    public Routing route(HierarchicalDecision.Decision decision, int leafRank, double overlap) {
        List<ReviewReason> reasons = new ArrayList<>(3);
        if (overlap < thresholds.overlap()) {
            // The classifier looked mostly at the background: even a confident answer may be a shortcut.
            reasons.add(ReviewReason.LOW_OVERLAP);
        }
        if (!decision.confident()) {
            reasons.add(ReviewReason.LOW_CONFIDENCE);
        } else if (decision.rank() < leafRank) {
            reasons.add(ReviewReason.ROLLED_UP);
        }
        return new Routing(reasons.isEmpty() ? Route.IDENTIFIED : Route.REVIEW, reasons);
    }
}
