package org.lepistream.decision.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lepistream.decision.analysis.AttentionMap;

class CalibrationTest {

    static final AttentionMap LEFT = new AttentionMap(2, 2, new float[] {0.9f, 0.1f, 0.8f, 0.2f});
    static final AttentionMap RIGHT = new AttentionMap(2, 2, new float[] {0.1f, 0.9f, 0.2f, 0.8f});

    /** A photo of species a (index 0, path F1/G1/a) predicted as {@code predicted} with probability p. */
    static Calibration.Observation photo(int predicted, double p, AttentionMap lastLevel) {
        double[] species = new double[5];
        java.util.Arrays.fill(species, (1 - p) / 4);
        species[predicted] = p;
        double[][] ranks = HierarchicalDecisionTest.fromSpecies(species[0], species[1], species[2], species[3],
                species[4]);
        // Level 0 is uninformative (the same for every photo); the last level looks at the butterfly iff right.
        return new Calibration.Observation(ranks, List.of(new AttentionMap(2, 2, new float[] {1, 0, 0, 1}), lastLevel),
                OverCamTest.LEFT_HALF, 4, new int[] {0, 0, 0});
    }

    static List<Calibration.Observation> validation() {
        List<Calibration.Observation> obs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            obs.add(photo(0, 0.60 + i * 0.015, LEFT)); // right, moderately confident, attention on the butterfly
        }
        for (int i = 0; i < 5; i++) {
            obs.add(photo(3, 0.97, RIGHT)); // wrong, very confident, attention on the background (a shortcut)
        }
        return obs;
    }

    @Test
    void overlapSeparatesShortcutsThatConfidenceCannot() {
        Calibration.Result r = Calibration.calibrate(validation(), HierarchicalDecisionTest.TAXONOMY, 0.95);
        assertEquals(-1, r.overlap().level(), "the informative level is the last one");
        Calibration.Candidate best = r.candidates().stream().filter(c -> c.settings().equals(r.overlap()))
                .findFirst().orElseThrow();
        assertEquals(1.0, best.auroc(), 1e-12);
        assertTrue(r.reachable());
        assertTrue(r.precision() >= 0.95);
        // With overlap every right photo is accepted (20 of 25); confidence alone must refuse the 0.97 wrong ones
        // and everything below them, i.e. everything.
        assertEquals(0.8, r.coverage(), 1e-12);
        assertEquals(0.0, r.confidenceOnlyCoverage(), 1e-12);
        double overlap = r.thresholds().get("overlap");
        assertTrue(overlap > 0 && overlap <= 1.0, "overlap threshold " + overlap);
        // The confident wrong answers need their overlap, so no photo may skip the segmenter: no cascade released.
        assertFalse(r.cascade().skipsAny());
        assertFalse(r.releaseThresholds().containsKey(RoutingPolicy.MASK_FREE_ABOVE_KEY));
        // Applying the calibrated thresholds routes exactly the right photos to IDENTIFIED.
        Thresholds t = Thresholds.resolve(List.of("family", "genus", "species"), r.thresholds(), java.util.Map.of());
        HierarchicalDecision decision = new HierarchicalDecision(HierarchicalDecisionTest.TAXONOMY);
        OverCam overCam = new OverCam(r.overlap());
        int identified = 0;
        for (Calibration.Observation o : validation()) {
            AttentionMap m = o.attention().get(overCam.levelIndex(2));
            double ov = overCam.overlap(m.values(), 2, 2, o.mask(), 4, 4);
            var d = decision.decide(o.rankProbabilities(), t.perRank());
            // The service's Router identifies exactly these: confident at species with enough overlap.
            if (d.confident() && d.rank() == 2 && ov >= t.overlap()) {
                identified++;
                assertEquals(0, d.index(), "only right predictions are accepted");
            }
        }
        assertEquals(20, identified);
        // Risk-coverage: overlap routing never exceeds zero risk; confidence-only starts with the wrong ones.
        assertTrue(r.withOverlap().stream().allMatch(pt -> pt.risk() == 0.0));
        assertEquals(1.0, r.confidenceOnly().get(0).risk(), 1e-12);
    }

    @Test
    void gradCamIsChosenWhenItSeparatesBetterThanEveryAttentionLevel() {
        // Both CBAM levels are blind (the same map for every photo); Grad-CAM follows the butterfly iff right.
        List<Calibration.Observation> obs = new ArrayList<>();
        for (Calibration.Observation o : validation()) {
            boolean right = o.rankProbabilities()[2][0] > 0.5;
            AttentionMap flat = new AttentionMap(2, 2, new float[] {1, 0, 0, 1});
            obs.add(new Calibration.Observation(o.rankProbabilities(), List.of(flat, flat), right ? LEFT : RIGHT,
                    o.mask(), o.maskSize(), o.labels()));
        }
        Calibration.Result r = Calibration.calibrate(obs, HierarchicalDecisionTest.TAXONOMY, 0.95);
        assertEquals(OverCam.Source.GRAD_CAM, r.overlap().source());
        assertEquals(0.8, r.coverage(), 1e-12);
        assertEquals(1.0, r.releaseThresholds().get(OverCam.Settings.GRAD_CAM_KEY), 1e-12);
        // Without Grad-CAM in the observations the same photos calibrate on attention only, and learn nothing.
        Calibration.Result blind = Calibration.calibrate(validation().stream().map(o -> new Calibration.Observation(
                o.rankProbabilities(), List.of(new AttentionMap(2, 2, new float[] {1, 0, 0, 1})), o.mask(),
                o.maskSize(), o.labels())).toList(), HierarchicalDecisionTest.TAXONOMY, 0.95);
        assertEquals(OverCam.Source.ATTENTION, blind.overlap().source());
        assertFalse(blind.reachable());
    }

    @Test
    void withoutMasksOnlyConfidenceRoutes() {
        // A bundle without a segmenter: no masks, so no overlap; 20 right at 0.60-0.885, then 5 wrong at 0.50.
        List<Calibration.Observation> obs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Calibration.Observation o = photo(0, 0.60 + i * 0.015, LEFT);
            obs.add(new Calibration.Observation(o.rankProbabilities(), o.attention(), null, 0, o.labels()));
        }
        for (int i = 0; i < 5; i++) {
            Calibration.Observation o = photo(3, 0.50, RIGHT);
            obs.add(new Calibration.Observation(o.rankProbabilities(), o.attention(), null, 0, o.labels()));
        }
        Calibration.Result r = Calibration.calibrate(obs, HierarchicalDecisionTest.TAXONOMY, 0.95);
        assertTrue(r.reachable());
        assertEquals(0.0, r.thresholds().get("overlap"), "no overlap to demand");
        assertEquals(r.confidenceOnlyCoverage(), r.coverage(), 1e-12, "overlap adds nothing to confidence");
        assertEquals(0.8, r.coverage(), 1e-12);
        assertTrue(r.thresholds().get("species") > 0.5 && r.thresholds().get("species") <= 0.60);
        // The overlap never matters here, so every accepted photo may skip the segmenter, and the release says so.
        assertTrue(r.cascade().skipsAny());
        double skipFrom = r.releaseThresholds().get(RoutingPolicy.MASK_FREE_ABOVE_KEY);
        assertEquals(r.cascade().maskFreeAbove(), skipFrom, 1e-12);
        assertTrue(skipFrom >= r.thresholds().get("species") && skipFrom <= 0.60, "skip from " + skipFrom);
        assertEquals(skipFrom, RoutingPolicy.resolve(List.of("family", "genus", "species"), RoutingPolicy.NONE,
                RoutingPolicy.fromLegacy(List.of("family", "genus", "species"), r.releaseThresholds(),
                        OverCam.Settings.DEFAULT), RoutingPolicy.NONE, OverCam.Settings.DEFAULT).maskFreeAbove(), 1e-12,
                "the release's cascade is the served policy's");
    }

    @Test
    void anUnreachableTargetSendsEverythingToReview() {
        List<Calibration.Observation> obs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            obs.add(photo(i % 2 == 0 ? 0 : 3, 0.9, LEFT)); // half wrong, indistinguishable
        }
        Calibration.Result r = Calibration.calibrate(obs, HierarchicalDecisionTest.TAXONOMY, 0.95);
        assertFalse(r.reachable());
        assertEquals(1.0, r.thresholds().get("species"), 1e-12);
    }

    @Test
    void aurocCountsTiesAsHalf() {
        assertEquals(0.5, Calibration.auroc(new double[] {1, 1}, new boolean[] {true, false}), 1e-12);
        assertEquals(0.75, Calibration.auroc(new double[] {0.9, 0.5, 0.5}, new boolean[] {true, true, false}),
                1e-12);
        assertTrue(Double.isNaN(Calibration.auroc(new double[] {1}, new boolean[] {true})));
        assertThrows(IllegalArgumentException.class,
                () -> Calibration.calibrate(validation(), HierarchicalDecisionTest.TAXONOMY, 0));
    }

    /**
     * Ten photos: the overlap vetoes one confident wrong answer (p 0.90, overlap 0.1); above 0.95 every answer is
     * right, so from 0.95 up the mask can be skipped without losing precision; lower, the vetoed mistake comes back.
     */
    @Test
    void theCascadeSkipsTheMaskOnlyWhereTheOverlapNeverMattered() {
        double[] p = {0.99, 0.98, 0.97, 0.96, 0.95, 0.90, 0.88, 0.85, 0.60, 0.40};
        double[] overlap = {0.9, 0.2, 0.8, 0.9, 0.7, 0.1, 0.8, 0.9, 0.9, 0.9};
        boolean[] right = {true, true, true, true, true, false, true, true, false, false};
        Calibration.Cascade c = Calibration.cascade(p, overlap, right, 0.85, 0.5, 1.0);
        assertEquals(0.95, c.maskFreeAbove(), 1e-12);
        assertEquals(1.0, c.precision(), 1e-12);
        // Accepted: the five ≥ 0.95 (photo 1's low overlap no longer counts) plus 0.88 and 0.85.
        assertEquals(0.7, c.coverage(), 1e-12);
        assertEquals(0.5, c.maskedShare(), 1e-12);
        assertTrue(c.skipsAny());
        // As served: the top species probability against the threshold (at it, the mask is skipped).
        assertTrue(Calibration.Cascade.needsMask(new double[][] {{1.0}, {0.94, 0.06}}, c.maskFreeAbove()));
        assertTrue(!Calibration.Cascade.needsMask(new double[][] {{1.0}, {0.05, 0.95}}, c.maskFreeAbove()));
        // A target the full policy only just meets: nothing may skip.
        Calibration.Cascade strict = Calibration.cascade(new double[] {0.9, 0.8}, new double[] {0.1, 0.9},
                new boolean[] {false, true}, 0.8, 0.5, 1.0);
        assertEquals(Double.POSITIVE_INFINITY, strict.maskFreeAbove());
        assertEquals(1.0, strict.maskedShare(), 1e-12);
    }
}
