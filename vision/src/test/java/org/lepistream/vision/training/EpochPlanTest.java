package org.lepistream.vision.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EpochPlanTest {

    @Test
    void aBudgetedRunValidatesEveryTenthThenEveryEpochOfItsLastQuarterAndAlwaysTheLast() {
        int every = EpochPlan.every(0, 40, true);
        assertEquals(4, every);
        assertTrue(EpochPlan.validates(4, 40, every));
        assertFalse(EpochPlan.validates(5, 40, every));
        assertTrue(EpochPlan.validates(31, 40, every));
        assertTrue(EpochPlan.validates(40, 40, every));
        assertEquals(1, EpochPlan.every(0, 40, false));
        assertEquals(3, EpochPlan.every(3, 40, true));
        // 4, 8, ..., 28 (7) plus 31..40 (10)
        assertEquals(17, EpochPlan.validations(40, every));
    }

    @Test
    void fitsAsManyEpochsAsTheBudgetPaysForValidationIncluded() {
        // 100 s epochs, 10 s validations, 1200 s: 11 epochs cost 1100 s + validations; 12 would not fit.
        int epochs = EpochPlan.fit(1200, 100, 10, 0);
        double cost = epochs * 100.0 + EpochPlan.validations(epochs, EpochPlan.every(0, epochs, true)) * 10;
        double next = (epochs + 1) * 100.0
                + EpochPlan.validations(epochs + 1, EpochPlan.every(0, epochs + 1, true)) * 10;
        assertTrue(cost <= 1200 && next > 1200, epochs + " epochs cost " + cost + ", one more " + next);
        assertEquals(1, EpochPlan.fit(5, 100, 10, 0), "a budget below one epoch still trains one");
    }
}
