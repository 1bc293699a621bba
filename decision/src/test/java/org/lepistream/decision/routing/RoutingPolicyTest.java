package org.lepistream.decision.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingPolicyTest {

    private static final List<String> RANKS = List.of("family", "genus", "species");
    private static final OverCam.Settings LEVEL_2 = new OverCam.Settings(-2, OverCam.Rule.TOP_PERCENT, 30, 0.5);
    private static final OverCam.Settings GRAD_CAM = new OverCam.Settings(-1, OverCam.Rule.MEAN, 20, 0.5,
            OverCam.Source.GRAD_CAM);

    @Test
    void configurationWinsOverTheReleaseWhichWinsOverTheBundleRankByRank() {
        RoutingPolicy bundle = new RoutingPolicy(Map.of("family", 0.6, "genus", 0.7, "species", 0.8), 0.3, LEVEL_2,
                0.95);
        RoutingPolicy release = new RoutingPolicy(Map.of("species", 0.85), 0.4, null, 0.99);
        RoutingPolicy config = new RoutingPolicy(Map.of("genus", 0.9), null, null, null);
        RoutingPolicy.Resolved p = RoutingPolicy.resolve(RANKS, bundle, release, config, OverCam.Settings.DEFAULT);
        assertArrayEquals(new double[] {0.6, 0.9, 0.85}, p.thresholds().perRank());
        assertEquals(0.4, p.thresholds().overlap());
        assertEquals(LEVEL_2, p.overCam(), "the measurement comes whole from the highest layer stating it");
        assertEquals(0.99, p.calibrationTarget());
    }

    @Test
    void whatNoLayerStatesFallsBack() {
        RoutingPolicy.Resolved p = RoutingPolicy.resolve(RANKS, RoutingPolicy.NONE, RoutingPolicy.NONE,
                RoutingPolicy.NONE, GRAD_CAM);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, p.thresholds().perRank());
        assertEquals(Thresholds.FALLBACK, p.thresholds().overlap());
        assertEquals(GRAD_CAM, p.overCam());
        assertNull(p.calibrationTarget());
    }

    @Test
    void theLegacyMapReadsBackAsTheSamePolicy() {
        RoutingPolicy typed = new RoutingPolicy(Map.of("family", 0.61, "genus", 0.72, "species", 0.83), 0.34,
                LEVEL_2, null);
        Map<String, Double> legacy = new java.util.HashMap<>(Map.of("family", 0.61, "genus", 0.72, "species", 0.83,
                "overlap", 0.34));
        legacy.putAll(LEVEL_2.toThresholds());
        assertEquals(typed, RoutingPolicy.fromLegacy(RANKS, legacy, OverCam.Settings.DEFAULT));
        // Older bundles spelled thresholds in several ways; all of them still read.
        RoutingPolicy old = RoutingPolicy.fromLegacy(RANKS, Map.of("species.minProbability", 0.9,
                "attentionInMask.min", 0.2), OverCam.Settings.DEFAULT);
        assertEquals(Map.of("species", 0.9), old.rankThresholds());
        assertEquals(0.2, old.overlapThreshold());
        assertNull(old.overCam());
    }

    @Test
    void theCascadeThresholdTravelsWithThePolicyAndConfigurationOverridesIt() {
        RoutingPolicy release = RoutingPolicy.fromLegacy(RANKS, Map.of("species", 0.8,
                RoutingPolicy.MASK_FREE_ABOVE_KEY, 0.93), OverCam.Settings.DEFAULT);
        assertEquals(0.93, release.maskFreeAbove());
        RoutingPolicy bundle = new RoutingPolicy(Map.of(), null, null, null, 0.97);
        assertEquals(0.93, RoutingPolicy.resolve(RANKS, bundle, release, RoutingPolicy.NONE,
                OverCam.Settings.DEFAULT).maskFreeAbove(), "the release's own operating point");
        RoutingPolicy config = new RoutingPolicy(Map.of(), null, null, null, 0.99);
        assertEquals(0.99, RoutingPolicy.resolve(RANKS, bundle, release, config, OverCam.Settings.DEFAULT)
                .maskFreeAbove(), "the operator's value wins");
        assertEquals(Double.POSITIVE_INFINITY, RoutingPolicy.resolve(RANKS, RoutingPolicy.NONE, RoutingPolicy.NONE,
                RoutingPolicy.NONE, OverCam.Settings.DEFAULT).maskFreeAbove(), "none stated: every photo segmented");
        assertThrows(IllegalArgumentException.class, () -> new RoutingPolicy(Map.of(), null, null, null, 1.2));
    }

    @Test
    void valuesOutsideTheirRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RoutingPolicy(Map.of("species", 1.5), null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new RoutingPolicy(Map.of(), -0.1, null, null));
        assertThrows(IllegalArgumentException.class, () -> new RoutingPolicy(Map.of(), null, null, 0.0));
    }
}
