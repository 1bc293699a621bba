package org.lepistream.loadtest.generator;

import java.time.Instant;
import org.lepistream.loadtest.measure.LatencyTracker;

/** What a load run saw, with the machine's load average before and after (the machine may be shared). */
public record LoadResult(String runId, LoadSettings settings, String workload, LatencyTracker tracker,
        Instant startedAt, double sendSeconds, String loadBefore, String loadAfter) {

    /** Results per second over the whole run (first send to last result). */
    public double overallThroughput() {
        double s = tracker.activeSeconds();
        return s > 0 ? tracker.completedCount() / s : Double.NaN;
    }

    /** Sightings handed to the producer per second. */
    public double offeredRate() {
        return sendSeconds > 0 ? tracker.sentCount() / sendSeconds : Double.NaN;
    }

    /** Every sent sighting has exactly one result. */
    public boolean exactlyOnce() {
        return tracker.pendingCount() == 0 && tracker.duplicates().isEmpty() && tracker.sendFailures().isEmpty()
                && tracker.completedCount() == tracker.sentCount();
    }
}
