package org.lepistream.decision.routing;

import org.lepistream.decision.analysis.ImageAnalysis;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.lepistream.decision.analysis.AttentionMap;

class OverCamTest {

    /** 4×4 mask whose left half is butterfly. */
    static final float[] LEFT_HALF = {
        1, 1, 0, 0,
        1, 1, 0, 0,
        1, 1, 0, 0,
        1, 1, 0, 0};

    static OverCam mean() {
        return new OverCam(new OverCam.Settings(-1, OverCam.Rule.MEAN, 20, 0.5));
    }

    @Test
    void meanRuleKeepsCellsAtOrAboveTheMean() {
        // mean of {0.9, 0.1, 0.2, 0.8} is 0.5: cells 0 and 3 are on.
        assertArrayEquals(new boolean[] {true, false, false, true}, mean().binarise(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2));
    }

    @Test
    void overlapIsTheShareOfOnPixelsInsideTheMask() {
        // On cells: top-left (covers mask rows 0-1, cols 0-1: 4 butterfly pixels) and bottom-right (rows 2-3,
        // cols 2-3: 4 background pixels) → 4 / 8.
        assertEquals(0.5, mean().overlap(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2, LEFT_HALF, 4, 4), 1e-12);
        // Attention on the left column only → all inside.
        assertEquals(1.0, mean().overlap(new float[] {0.9f, 0.1f, 0.8f, 0.2f}, 2, 2, LEFT_HALF, 4, 4), 1e-12);
        // Attention on the right column only → none inside.
        assertEquals(0.0, mean().overlap(new float[] {0.1f, 0.9f, 0.2f, 0.8f}, 2, 2, LEFT_HALF, 4, 4), 1e-12);
    }

    @Test
    void flatAttentionCountsEverywhereSoOverlapIsTheMaskArea() {
        assertEquals(0.5, mean().overlap(new float[] {0.3f, 0.3f, 0.3f, 0.3f}, 2, 2, LEFT_HALF, 4, 4), 1e-12);
    }

    @Test
    void topPercentKeepsTheStrongestCells() {
        OverCam top25 = new OverCam(new OverCam.Settings(-1, OverCam.Rule.TOP_PERCENT, 25, 0.5));
        // 25% of 4 cells = 1 cell: the 0.9 at top-left, fully inside.
        assertEquals(1.0, top25.overlap(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2, LEFT_HALF, 4, 4), 1e-12);
        OverCam top50 = new OverCam(new OverCam.Settings(-1, OverCam.Rule.TOP_PERCENT, 50, 0.5));
        assertArrayEquals(new boolean[] {true, false, false, true},
                top50.binarise(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2));
    }

    @Test
    void maskThresholdDecidesWhatCountsAsButterfly() {
        float[] soft = new float[16];
        java.util.Arrays.fill(soft, 0.6f);
        OverCam strict = new OverCam(new OverCam.Settings(-1, OverCam.Rule.MEAN, 20, 0.7));
        assertEquals(1.0, mean().overlap(new float[] {1, 0, 0, 0}, 2, 2, soft, 4, 4), 1e-12);
        assertEquals(0.0, strict.overlap(new float[] {1, 0, 0, 0}, 2, 2, soft, 4, 4), 1e-12);
    }

    @Test
    void levelsCountFromTheEndWhenNegative() {
        assertEquals(3, mean().levelIndex(4));
        assertEquals(1, new OverCam(new OverCam.Settings(1, OverCam.Rule.MEAN, 20, 0.5)).levelIndex(4));
        assertThrows(IllegalArgumentException.class,
                () -> new OverCam(new OverCam.Settings(5, OverCam.Rule.MEAN, 20, 0.5)).levelIndex(4));
        assertThrows(IllegalArgumentException.class, () -> mean().levelIndex(0));
    }

    @Test
    void aModelsCalibratedSettingTravelsInItsThresholds() {
        OverCam.Settings fallback = OverCam.Settings.DEFAULT;
        OverCam.Settings top = new OverCam.Settings(-3, OverCam.Rule.TOP_PERCENT, 30, 0.5);
        assertEquals(top, OverCam.Settings.fromThresholds(top.toThresholds(), fallback));
        OverCam.Settings mean = new OverCam.Settings(-2, OverCam.Rule.MEAN, 20, 0.5);
        assertEquals(mean, OverCam.Settings.fromThresholds(mean.toThresholds(), fallback));
        assertEquals(fallback, OverCam.Settings.fromThresholds(java.util.Map.of("species", 0.9), fallback));
        OverCam.Settings grad = new OverCam.Settings(-1, OverCam.Rule.TOP_PERCENT, 20, 0.5, OverCam.Source.GRAD_CAM);
        assertEquals(grad, OverCam.Settings.fromThresholds(grad.toThresholds(), fallback));
    }

    @Test
    void selectsTheConfiguredMapOfAnAnalysis() {
        AttentionMap a0 = new AttentionMap(2, 2, new float[] {1, 0, 0, 0});
        AttentionMap a1 = new AttentionMap(2, 2, new float[] {0, 1, 0, 0});
        AttentionMap cam = new AttentionMap(2, 2, new float[] {0, 0, 1, 0});
        var analysis = new org.lepistream.decision.analysis.ImageAnalysis(java.util.List.of("species"),
                new double[][] {{1.0}}, java.util.List.of(a0, a1), LEFT_HALF, 4, cam);
        assertEquals(a1, mean().select(analysis));
        assertEquals(a0, new OverCam(new OverCam.Settings(0, OverCam.Rule.MEAN, 20, 0.5)).select(analysis));
        OverCam grad = new OverCam(new OverCam.Settings(-1, OverCam.Rule.MEAN, 20, 0.5, OverCam.Source.GRAD_CAM));
        assertEquals(cam, grad.select(analysis));
        var without = new org.lepistream.decision.analysis.ImageAnalysis(java.util.List.of("species"),
                new double[][] {{1.0}}, java.util.List.of(a0), LEFT_HALF, 4);
        assertThrows(IllegalArgumentException.class, () -> grad.select(without));
    }

    @Test
    void badSettingsAndShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OverCam.Settings(-1, OverCam.Rule.TOP_PERCENT, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> OverCam.Settings.parseRule("median"));
        assertEquals(OverCam.Rule.TOP_PERCENT, OverCam.Settings.parseRule("top10"));
        assertThrows(IllegalArgumentException.class, () -> mean().overlap(new float[3], 2, 2, LEFT_HALF, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> mean().overlap(new float[4], 2, 2, new float[5], 4, 4));
    }
}
