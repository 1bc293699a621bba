package org.lepistream.decision.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * How a model's answers are routed: the minimum probability per rank, the minimum Over-CAM overlap, how the overlap
 * is measured, and the accepted precision the thresholds were calibrated for. A policy comes in layers — the bundle's
 * own, the release's (recalibrated by the trainer), the operator's configuration — and each layer states only what it
 * knows: every field may be absent (null, or no entry for a rank).
 *
 * @param rankThresholds minimum probability by rank name (lower case), e.g. {@code species → 0.82}
 * @param overlapThreshold minimum Over-CAM overlap, or null
 * @param overCam which map and rule measure the overlap, or null
 * @param calibrationTarget the accepted precision the thresholds were chosen for, or null (informational)
 * @param maskFreeAbove the cascade: from this species probability up the overlap is not consulted, so the segmenter
 *     need not run; calibrated with the thresholds (a model's own operating point), or null (every photo segmented)
 */
public record RoutingPolicy(Map<String, Double> rankThresholds, Double overlapThreshold, OverCam.Settings overCam,
        Double calibrationTarget, Double maskFreeAbove) {

    /** The legacy map's key for {@link #maskFreeAbove}, the same as the service's configuration key. */
    public static final String MASK_FREE_ABOVE_KEY = "overlap.mask-free-above";

    /** A layer that states nothing. */
    public static final RoutingPolicy NONE = new RoutingPolicy(Map.of(), null, null, null);

    /** A policy without a cascade threshold. */
    public RoutingPolicy(Map<String, Double> rankThresholds, Double overlapThreshold, OverCam.Settings overCam,
            Double calibrationTarget) {
        this(rankThresholds, overlapThreshold, overCam, calibrationTarget, null);
    }

    public RoutingPolicy {
        Map<String, Double> copy = new LinkedHashMap<>();
        if (rankThresholds != null) {
            rankThresholds.forEach((rank, t) -> {
                if (t != null) {
                    copy.put(rank.toLowerCase(Locale.ROOT), unit("threshold for " + rank, t));
                }
            });
        }
        rankThresholds = Map.copyOf(copy);
        if (overlapThreshold != null) {
            unit("overlap threshold", overlapThreshold);
        }
        if (calibrationTarget != null && !(calibrationTarget > 0 && calibrationTarget <= 1)) {
            throw new IllegalArgumentException("calibration target must be in (0, 1], got " + calibrationTarget);
        }
        if (maskFreeAbove != null) {
            unit("mask-free-above", maskFreeAbove);
        }
    }

    /**
     * A policy from the map of doubles that bundles and releases carried before the policy was typed: rank names
     * and "overlap" in the spellings {@link Thresholds#resolve} accepts, plus the Over-CAM entries of
     * {@link OverCam.Settings#toThresholds} ({@code measurement} supplies what those entries leave out: the mask
     * threshold, the top percent of the mean rule). Kept for records written before the change; new ones carry the
     * policy.
     */
    public static RoutingPolicy fromLegacy(List<String> ranks, Map<String, Double> legacy,
            OverCam.Settings measurement) {
        if (legacy == null || legacy.isEmpty()) {
            return NONE;
        }
        Map<String, Double> perRank = new LinkedHashMap<>();
        for (String rank : ranks) {
            Thresholds.find(rank, legacy).ifPresent(t -> perRank.put(rank, t));
        }
        OptionalDouble overlap = Thresholds.find("overlap", legacy);
        OverCam.Settings overCam = legacy.containsKey(OverCam.Settings.LEVEL_KEY)
                ? OverCam.Settings.fromThresholds(legacy, measurement) : null;
        return new RoutingPolicy(perRank, overlap.isPresent() ? overlap.getAsDouble() : null, overCam, null,
                legacy.get(MASK_FREE_ABOVE_KEY));
    }

    /** This layer over {@code below}: what this one states wins, field by field (rank by rank). */
    public RoutingPolicy over(RoutingPolicy below) {
        Map<String, Double> ranks = new LinkedHashMap<>(below.rankThresholds);
        ranks.putAll(rankThresholds);
        return new RoutingPolicy(ranks, overlapThreshold != null ? overlapThreshold : below.overlapThreshold,
                overCam != null ? overCam : below.overCam,
                calibrationTarget != null ? calibrationTarget : below.calibrationTarget,
                maskFreeAbove != null ? maskFreeAbove : below.maskFreeAbove);
    }

    /**
     * A complete policy, ready to route with.
     *
     * @param maskFreeAbove the cascade threshold; positive infinity when no layer states one (every photo segmented)
     */
    public record Resolved(Thresholds thresholds, OverCam.Settings overCam, Double calibrationTarget,
            double maskFreeAbove) {
    }

    /**
     * The one place the layers meet. Configuration overrides win over the release, the release over the bundle, and
     * the bundle over the defaults ({@link Thresholds#FALLBACK} for thresholds, {@code defaultOverCam} for the
     * measurement). The Over-CAM measurement is taken whole from the highest layer that states it: level, rule and
     * source were calibrated together.
     *
     * @param ranks the model's ranks, top to leaf
     */
    public static Resolved resolve(List<String> ranks, RoutingPolicy bundle, RoutingPolicy release,
            RoutingPolicy overrides, OverCam.Settings defaultOverCam) {
        RoutingPolicy merged = overrides.over(release.over(bundle));
        double[] perRank = new double[ranks.size()];
        for (int r = 0; r < ranks.size(); r++) {
            perRank[r] = merged.rankThresholds.getOrDefault(ranks.get(r).toLowerCase(Locale.ROOT), Thresholds.FALLBACK);
        }
        double overlap = merged.overlapThreshold != null ? merged.overlapThreshold : Thresholds.FALLBACK;
        return new Resolved(new Thresholds(perRank, overlap), merged.overCam != null ? merged.overCam : defaultOverCam,
                merged.calibrationTarget, merged.maskFreeAbove != null ? merged.maskFreeAbove
                        : Double.POSITIVE_INFINITY);
    }

    private static double unit(String what, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1], got " + v);
        }
        return v;
    }
}
