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
        assertEquals(17, java.util.stream.IntStream.rangeClosed(1, 40)
                .filter(e -> EpochPlan.validates(e, 40, every)).count());
    }
}
