package org.lepistream.loadtest.workload;

/**
 * When the n-th sighting is due under an open-loop fixed rate: n / rate seconds after the start, whatever the
 * service does (a closed loop would hide queueing — coordinated omission). Rate 0 means flat out.
 */
public final class Pacer {

    private final double ratePerSecond;

    public Pacer(double ratePerSecond) {
        if (ratePerSecond < 0 || Double.isNaN(ratePerSecond) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be zero (flat out) or a positive number, got " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
    }

    public boolean flatOut() {
        return ratePerSecond == 0;
    }

    /** Nanoseconds after the start at which sighting {@code n} (0-based) is due; 0 when flat out. */
    public long dueOffsetNanos(long n) {
        return flatOut() ? 0 : (long) (n * 1e9 / ratePerSecond);
    }

    /** Sleeps until sighting {@code n} is due (returns at once when late or flat out). */
    public void awaitSlot(long startNanos, long n) throws InterruptedException {
        long wait = startNanos + dueOffsetNanos(n) - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
