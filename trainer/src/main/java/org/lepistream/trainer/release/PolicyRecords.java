package org.lepistream.trainer.release;

import java.util.List;
import java.util.Map;
import org.lepistream.schemas.OverCamMeasure;
import org.lepistream.schemas.OverCamRule;
import org.lepistream.schemas.OverCamSource;
import org.lepistream.schemas.RoutingPolicy;
import org.lepistream.decision.routing.OverCam;

/** A calibrated routing policy as a release carries it (typed, beside the legacy thresholds map for older readers). */
public final class PolicyRecords {

    private PolicyRecords() {
    }

    /**
     * The typed policy of calibrated thresholds in the release-map format that {@code Calibration} writes: rank
     * names, {@code overlap}, and the Over-CAM entries.
     */
    public static RoutingPolicy of(Map<String, Double> calibrated) {
        List<String> ranks = calibrated.keySet().stream().filter(k -> !k.startsWith("overlap")).toList();
        var policy = org.lepistream.decision.routing.RoutingPolicy.fromLegacy(ranks, calibrated,
                OverCam.Settings.DEFAULT);
        OverCam.Settings s = policy.overCam();
        return RoutingPolicy.newBuilder().setRankThresholds(policy.rankThresholds())
                .setOverlapThreshold(policy.overlapThreshold())
                .setOverCam(s == null ? null : OverCamMeasure.newBuilder()
                        .setSource(OverCamSource.valueOf(s.source().name())).setLevel(s.level())
                        .setRule(OverCamRule.valueOf(s.rule().name())).setTopPercent(s.topPercent())
                        .setMaskThreshold(s.maskThreshold()).build())
                .setCalibrationTarget(policy.calibrationTarget()).setMaskFreeAbove(policy.maskFreeAbove()).build();
    }
}
