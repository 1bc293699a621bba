package org.lepistream.decision.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SightingShareTest {

    @Test
    void theShareIsDecidedByTheIdAndIsCloseToTheRate() {
        SightingShare third = new SightingShare(0.3);
        SightingShare tenth = new SightingShare(0.1);
        int in = 0;
        for (int i = 0; i < 20_000; i++) {
            boolean first = third.contains("s-" + i);
            assertEquals(first, new SightingShare(0.3).contains("s-" + i), "the same id, the same answer");
            in += first ? 1 : 0;
            if (tenth.contains("s-" + i)) {
                assertTrue(first, "a smaller share is a subset of a larger one");
            }
        }
        assertEquals(0.3, in / 20_000.0, 0.015);
    }

    @Test
    void zeroHoldsNothingAndOneEverything() {
        assertFalse(new SightingShare(0).contains("anything"));
        assertTrue(new SightingShare(1).contains("anything"));
        double p = SightingShare.position("anything");
        assertTrue(p >= 0 && p < 1);
        assertThrows(IllegalArgumentException.class, () -> new SightingShare(1.01));
        assertThrows(IllegalArgumentException.class, () -> new SightingShare(Double.NaN));
    }
}
