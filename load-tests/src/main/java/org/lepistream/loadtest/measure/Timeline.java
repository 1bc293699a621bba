package org.lepistream.loadtest.measure;

import java.util.Arrays;

/** Events per whole second since the run started (sent and completed sightings), for the throughput plot. */
public final class Timeline {

    private long[] sent = new long[64];
    private long[] completed = new long[64];
    private int seconds;

    /** Counts one sighting sent {@code offsetNanos} after the start. */
    public synchronized void sent(long offsetNanos) {
        sent = bump(sent, second(offsetNanos));
    }

    /** Counts one result seen {@code offsetNanos} after the start. */
    public synchronized void completed(long offsetNanos) {
        completed = bump(completed, second(offsetNanos));
    }

    /** Number of seconds covered (the last second with any event, plus one). */
    public synchronized int seconds() {
        return seconds;
    }

    public synchronized long[] sentPerSecond() {
        return Arrays.copyOf(sent, seconds);
    }

    public synchronized long[] completedPerSecond() {
        return Arrays.copyOf(completed, seconds);
    }

    private int second(long offsetNanos) {
        int s = (int) Math.max(0, offsetNanos / 1_000_000_000L);
        seconds = Math.max(seconds, s + 1);
        return s;
    }

    private static long[] bump(long[] counts, int s) {
        long[] out = s < counts.length ? counts : Arrays.copyOf(counts, Math.max(s + 1, counts.length * 2));
        out[s]++;
        return out;
    }
}
