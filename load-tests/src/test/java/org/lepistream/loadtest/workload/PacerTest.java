package org.lepistream.loadtest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void fixedRateSpacesSightingsEvenlyFromTheStart() {
        Pacer pacer = new Pacer(20);
        assertEquals(0, pacer.dueOffsetNanos(0));
        assertEquals(50_000_000L, pacer.dueOffsetNanos(1));
        assertEquals(5_000_000_000L, pacer.dueOffsetNanos(100));
    }

    @Test
    void flatOutNeverWaits() throws InterruptedException {
        Pacer pacer = new Pacer(0);
        assertTrue(pacer.flatOut());
        long before = System.nanoTime();
        pacer.awaitSlot(before, 1_000_000);
        assertTrue(System.nanoTime() - before < 50_000_000L);
    }

    @Test
    void waitsUntilTheSlot() throws InterruptedException {
        Pacer pacer = new Pacer(10);
        long start = System.nanoTime();
        pacer.awaitSlot(start, 2);
        assertTrue(System.nanoTime() - start >= 200_000_000L);
    }

    @Test
    void rejectsNegativeOrNonFiniteRates() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer(-1));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(Double.POSITIVE_INFINITY));
    }
}
