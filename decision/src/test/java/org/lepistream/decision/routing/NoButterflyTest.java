package org.lepistream.decision.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoButterflyTest {

    @Test
    void onlySurePixelsCountAsInsect() {
        float[] mask = {0.99f, 0.96f, 0.94f, 0.6f, 0.5f, 0.1f, 0f, 0f, 0f, 0f};
        assertEquals(0.2, NoButterfly.area(mask), 1e-12);
        assertEquals(0.5, NoButterfly.area(mask, 0.5f), 1e-12);
    }

    @Test
    void flagsAMaskWithTooLittleInsectAndNothingWithoutAMask() {
        NoButterfly check = new NoButterfly(0.25);
        assertTrue(check.flags(new float[] {0.99f, 0.2f, 0.2f, 0.2f, 0.2f}));
        assertFalse(check.flags(new float[] {0.99f, 0.99f, 0.2f, 0.2f}));
        assertFalse(check.flags(null), "no mask (the cascade skipped it): nothing measured, nothing flagged");
        assertFalse(NoButterfly.OFF.flags(new float[] {0f, 0f}));
        assertThrows(IllegalArgumentException.class, () -> new NoButterfly(1.2));
    }
}
