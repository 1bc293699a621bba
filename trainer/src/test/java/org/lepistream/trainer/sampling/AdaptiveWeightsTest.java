package org.lepistream.trainer.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdaptiveWeightsTest {

    private static AdaptiveWeights.Item item(String c, WeightClass w) {
        return new AdaptiveWeights.Item(c, w);
    }

    @Test
    void outcomeOrdersWeightsWrongAboveLowOverlapAboveEasy() {
        // One class, so class balance is 1 for everyone and only the outcome factor differs.
        List<AdaptiveWeights.Item> items = List.of(item("a", WeightClass.EASY), item("a", WeightClass.LOW_OVERLAP),
                item("a", WeightClass.WRONG), item("a", WeightClass.NEUTRAL));
        double[] w = AdaptiveWeights.compute(items, WeightFormula.DEFAULT);
        // Raw 0.5, 0.75, 2, 1 -> mean 1.0625 -> divided by it.
        double mean = (0.5 + 0.75 + 2 + 1) / 4;
        assertEquals(0.5 / mean, w[0], 1e-12);
        assertEquals(0.75 / mean, w[1], 1e-12);
        assertEquals(2 / mean, w[2], 1e-12);
        assertEquals(1 / mean, w[3], 1e-12);
        assertTrue(w[2] > w[3] && w[3] > w[1] && w[1] > w[0]);
    }

    @Test
    void inverseClassFrequencyLiftsRareClasses() {
        // 3 photos of "common", 1 of "rare", all neutral, full inverse frequency (alpha 1):
        // N/(K n_c) = 4/(2*3) = 2/3 for common, 4/(2*1) = 2 for rare.
        WeightFormula f = new WeightFormula(0.5, 0.75, 2, 1, 1.0, 0, 100);
        double[] w = AdaptiveWeights.compute(List.of(item("common", WeightClass.NEUTRAL),
                item("common", WeightClass.NEUTRAL), item("common", WeightClass.NEUTRAL),
                item("rare", WeightClass.NEUTRAL)), f);
        assertEquals(3.0, w[3] / w[0], 1e-12);
        // Each class then carries the same total weight: balanced.
        assertEquals(w[0] + w[1] + w[2], w[3], 1e-12);
        assertEquals(4.0, w[0] + w[1] + w[2] + w[3], 1e-12, "normalised to mean 1");
    }

    @Test
    void squareRootBalancingByDefaultAndClampApplies() {
        double[] w = AdaptiveWeights.compute(List.of(item("a", WeightClass.NEUTRAL), item("a", WeightClass.NEUTRAL),
                item("a", WeightClass.NEUTRAL), item("b", WeightClass.NEUTRAL)), WeightFormula.DEFAULT);
        assertEquals(Math.sqrt(3.0), w[3] / w[0], 1e-12);
        WeightFormula clamped = new WeightFormula(0.5, 0.75, 50, 1, 0, 0.1, 4);
        double[] c = AdaptiveWeights.compute(List.of(item("a", WeightClass.WRONG), item("a", WeightClass.NEUTRAL)),
                clamped);
        assertEquals(4.0, c[0] / c[1], 1e-12, "wrong=50 is clamped to max 4 before normalising");
    }

    @Test
    void uniformFormulaGivesEveryExampleTheSameWeight() {
        double[] w = AdaptiveWeights.compute(List.of(item("a", WeightClass.WRONG), item("b", WeightClass.EASY),
                item("b", WeightClass.LOW_OVERLAP)), WeightFormula.UNIFORM);
        for (double v : w) {
            assertEquals(1.0, v, 1e-12);
        }
    }

    @Test
    void classBalancedGivesEveryClassTheSameTotalWhateverTheOutcomes() {
        // 4 of "common" (one wrong, one easy), 1 of "rare": outcomes are ignored, classes weigh the same.
        double[] w = AdaptiveWeights.compute(List.of(item("common", WeightClass.WRONG), item("common",
                WeightClass.EASY), item("common", WeightClass.NEUTRAL), item("common", WeightClass.NEUTRAL),
                item("rare", WeightClass.EASY)), WeightFormula.CLASS_BALANCED);
        assertEquals(w[0], w[1], 1e-12);
        assertEquals(w[0] + w[1] + w[2] + w[3], w[4], 1e-12);
        assertEquals(5.0, w[0] + w[1] + w[2] + w[3] + w[4], 1e-12, "normalised to mean 1");
    }

    @Test
    void formulaIsConfigurableAndValidated() {
        WeightFormula f = WeightFormula.fromProperties(Map.of("weight.wrong", "3", "weight.class-balance", "0"));
        assertEquals(3.0, f.wrong());
        assertEquals(0.0, f.classBalance());
        assertEquals(WeightFormula.DEFAULT.easy(), f.easy());
        assertThrows(IllegalArgumentException.class, () -> WeightFormula.fromProperties(Map.of("weight.easy", "x")));
        assertThrows(IllegalArgumentException.class, () -> new WeightFormula(-1, 1, 1, 1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new WeightFormula(1, 1, 1, 1, 0, 2, 1));
    }

    @Test
    void classOfAnOutcome() {
        assertEquals(WeightClass.EASY, WeightClass.of(true, false));
        assertEquals(WeightClass.LOW_OVERLAP, WeightClass.of(true, true));
        assertEquals(WeightClass.WRONG, WeightClass.of(false, false));
        assertEquals(WeightClass.WRONG, WeightClass.of(false, true));
    }
}
