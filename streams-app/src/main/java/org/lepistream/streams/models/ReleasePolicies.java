package org.lepistream.streams.models;

import java.util.List;
import org.lepistream.schemas.ModelRelease;
import org.lepistream.schemas.OverCamMeasure;
import org.lepistream.decision.routing.OverCam;
import org.lepistream.decision.routing.RoutingPolicy;

/** A release's routing policy as the contract carries it, read into the decision's own type. */
final class ReleasePolicies {

    private ReleasePolicies() {
    }

    /**
     * The release's layer of the policy: its typed policy, or — for releases written before the contract had one —
     * the legacy map of thresholds.
     *
     * @param ranks the served model's ranks (legacy maps name them among other keys)
     * @param measurement supplies what a legacy map leaves out of the Over-CAM setting
     */
    static RoutingPolicy of(ModelRelease release, List<String> ranks, OverCam.Settings measurement) {
        if (release == null) {
            return RoutingPolicy.NONE;
        }
        org.lepistream.schemas.RoutingPolicy p = release.getPolicy();
        if (p == null) {
            return RoutingPolicy.fromLegacy(ranks, release.getThresholds(), measurement);
        }
        return new RoutingPolicy(p.getRankThresholds(), p.getOverlapThreshold(), overCam(p.getOverCam()),
                p.getCalibrationTarget(), p.getMaskFreeAbove());
    }

    private static OverCam.Settings overCam(OverCamMeasure m) {
        if (m == null) {
            return null;
        }
        return new OverCam.Settings(m.getLevel(), OverCam.Rule.valueOf(m.getRule().name()), m.getTopPercent(),
                m.getMaskThreshold(), OverCam.Source.valueOf(m.getSource().name()));
    }
}
