package org.lepistream.loadtest.measure;

/** Rates from sorted completion timestamps. */
public final class Throughputs {

    private Throughputs() {
    }

    /**
     * Events per second between quantiles {@code from} and {@code to} of the sorted timestamps (nanoseconds):
     * (count between them) / (time between them). NaN when fewer than 10 events or no time passed.
     */
    public static double steady(long[] sortedNanos, double from, double to) {
        if (!(from >= 0 && from < to && to <= 1)) {
            throw new IllegalArgumentException("need 0 <= from < to <= 1, got " + from + ", " + to);
        }
        if (sortedNanos.length < 10) {
            return Double.NaN;
        }
        int last = sortedNanos.length - 1;
        int a = (int) Math.floor(from * last);
        int b = (int) Math.ceil(to * last);
        long span = sortedNanos[b] - sortedNanos[a];
        return span <= 0 ? Double.NaN : (b - a) / (span / 1e9);
    }
}
