package org.lepistream.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LatencyTrackerTest {

    private static final long MS = 1_000_000L;

    @Test
    void matchesResultsToSightingsAndRecordsTheirLatency() {
        LatencyTracker t = new LatencyTracker(0);
        t.sent("a", 0);
        t.sent("b", 10 * MS);
        t.sent("c", 20 * MS);
        t.result("a", "identifications", 100 * MS);
        t.result("b", "sightings-dlq", 310 * MS);
        assertEquals(3, t.sentCount());
        assertEquals(2, t.completedCount());
        assertEquals(Set.of("c"), t.pendingIds());
        assertEquals(Map.of("identifications", 1L, "sightings-dlq", 1L), t.outcomes());
        var h = t.latencyMicros();
        assertEquals(2, h.getTotalCount());
        assertEquals(100_000, h.getMinValue(), 100);
        assertEquals(300_000, h.getMaxValue(), 300);
    }

    @Test
    void aSecondResultIsADuplicateAndAnUnknownKeyIsForeign() {
        LatencyTracker t = new LatencyTracker(0);
        t.sent("a", 0);
        t.result("a", "identifications", MS);
        t.result("a", "expert-review", 2 * MS);
        t.result("zzz", "identifications", 3 * MS);
        assertEquals(Map.of("a", 1L), t.duplicates());
        assertEquals(1, t.foreignResults());
        assertEquals(1, t.completedCount());
        assertEquals(1, t.latencyMicros().getTotalCount());
    }

    @Test
    void failedSendsLeaveThePendingSetWithTheirReason() {
        LatencyTracker t = new LatencyTracker(0);
        t.sent("a", 0);
        t.sendFailed("a", "TimeoutException: no broker");
        assertEquals(0, t.pendingCount());
        assertEquals(Map.of("a", "TimeoutException: no broker"), t.sendFailures());
    }

    @Test
    void timelineCountsPerSecondSinceTheStart() {
        LatencyTracker t = new LatencyTracker(1_000 * MS);
        t.sent("a", 1_000 * MS);
        t.sent("b", 1_500 * MS);
        t.sent("c", 3_100 * MS);
        t.result("a", "x", 2_200 * MS);
        t.result("b", "x", 2_900 * MS);
        assertArrayEquals(new long[] {2, 0, 1}, t.timeline().sentPerSecond());
        assertArrayEquals(new long[] {0, 2, 0}, t.timeline().completedPerSecond());
        assertEquals(1.9, t.activeSeconds(), 1e-9);
    }

    @Test
    void steadyThroughputIgnoresTheStartAndTheTail() {
        long[] times = new long[101];
        for (int i = 0; i < times.length; i++) {
            times[i] = i * 10 * MS; // 100 per second
        }
        times[0] = -5_000 * MS; // a slow first result must not count
        assertEquals(100.0, Throughputs.steady(times, 0.1, 0.9), 1e-6);
        assertTrue(Double.isNaN(Throughputs.steady(new long[5], 0.1, 0.9)));
    }

    /** A model swap's minute against the rest: percentiles over the results completed inside or outside a window. */
    @Test
    void latencyPercentilesWithinAndOutsideATimeWindow() {
        LatencyTracker t = new LatencyTracker(0);
        long ms = 1_000_000L;
        for (int i = 0; i < 100; i++) {
            t.sent("s" + i, i * 100 * ms);
            // 10 ms each, except the ten that complete inside [5 s, 6 s): 50 ms.
            long latency = i >= 50 && i < 60 ? 50 * ms : 10 * ms;
            t.result("s" + i, "identifications", i * 100 * ms + latency);
        }
        long from = 5000 * ms;
        long to = 6000 * ms;
        assertEquals(10, t.completedWithin(from, to));
        assertEquals(50.0, t.percentileMillis(99, from, to, true), 1e-9);
        assertEquals(10.0, t.percentileMillis(99, from, to, false), 1e-9);
        assertTrue(Double.isNaN(t.percentileMillis(99, 0, 1, true)));
    }
}
