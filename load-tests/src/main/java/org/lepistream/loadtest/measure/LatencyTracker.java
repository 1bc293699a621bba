package org.lepistream.loadtest.measure;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Matches each result to the sighting that caused it: latency from produced to visible on an output topic, per
 * outcome counts, and every sighting with no result or more than one.
 */
public final class LatencyTracker {

    /** Highest latency recorded exactly: ten minutes, in microseconds; three significant digits. */
    private static final long MAX_MICROS = 600_000_000L;

    private final long startNanos;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> duplicates = new ConcurrentHashMap<>();
    private final Map<String, String> sendFailures = new ConcurrentHashMap<>();
    private final Histogram histogram = new Histogram(MAX_MICROS, 3);
    private final Timeline timeline = new Timeline();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    /**
     * {completion nanos, latency micros} per result: the steady throughput, and latency within a time window (a model
     * swap's minute).
     */
    private final java.util.Queue<long[]> samples = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile long firstSendNanos = Long.MAX_VALUE;
    private volatile long lastResultNanos = Long.MIN_VALUE;

    public LatencyTracker(long startNanos) {
        this.startNanos = startNanos;
    }

    /** A sighting handed to the producer at {@code nanos} (System.nanoTime). */
    public void sent(String id, long nanos) {
        pending.put(id, nanos);
        sent.incrementAndGet();
        if (nanos < firstSendNanos) {
            firstSendNanos = nanos;
        }
        timeline.sent(nanos - startNanos);
    }

    /** The producer could not deliver it: it will never have a result, and the report says why. */
    public void sendFailed(String id, String reason) {
        if (pending.remove(id) != null) {
            sendFailures.put(id, reason);
        }
    }

    /** A result for {@code id} became visible on {@code outcome} (an output topic) at {@code nanos}. */
    public void result(String id, String outcome, long nanos) {
        Long sentAt = pending.remove(id);
        if (sentAt == null) {
            if (done.contains(id)) {
                duplicates.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
            } else {
                foreign.incrementAndGet(); // another run's or a non-load-test sighting sharing the topic
            }
            return;
        }
        done.add(id);
        outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
        synchronized (histogram) {
            histogram.recordValue(Math.min(MAX_MICROS, Math.max(0, (nanos - sentAt) / 1000)));
        }
        timeline.completed(nanos - startNanos);
        samples.add(new long[] {nanos, (nanos - sentAt) / 1000});
        if (nanos > lastResultNanos) {
            lastResultNanos = nanos;
        }
    }

    /**
     * Latency percentile (ms) of the results completed inside [from, to) ({@code inside}) or outside it; NaN when
     * there are none.
     */
    public double percentileMillis(double percentile, long fromNanos, long toNanos, boolean inside) {
        long[] values = samples.stream().filter(s -> (s[0] >= fromNanos && s[0] < toNanos) == inside)
                .mapToLong(s -> s[1]).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100 * values.length) - 1;
        return values[Math.max(0, Math.min(values.length - 1, rank))] / 1000.0;
    }

    /** Results completed inside [from, to). */
    public long completedWithin(long fromNanos, long toNanos) {
        return samples.stream().filter(s -> s[0] >= fromNanos && s[0] < toNanos).count();
    }

    public long sentCount() {
        return sent.get();
    }

    public long completedCount() {
        return done.size();
    }

    /** Sent and neither answered nor failed to send. */
    public int pendingCount() {
        return pending.size();
    }

    /** Ids still waiting for a result, sorted. */
    public Set<String> pendingIds() {
        return new java.util.TreeSet<>(pending.keySet());
    }

    public Map<String, Long> outcomes() {
        Map<String, Long> out = new TreeMap<>();
        outcomes.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Sightings with more than one result, with the number of extra results. */
    public Map<String, Long> duplicates() {
        Map<String, Long> out = new TreeMap<>();
        duplicates.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public Map<String, String> sendFailures() {
        return new TreeMap<>(sendFailures);
    }

    public long foreignResults() {
        return foreign.get();
    }

    /** A copy of the latency histogram, in microseconds. */
    public Histogram latencyMicros() {
        synchronized (histogram) {
            return histogram.copy();
        }
    }

    public Timeline timeline() {
        return timeline;
    }

    /**
     * Results per second between the 10th and the 90th percentile of completion times: the steady rate, without the
     * start (consumer-group join, first batches) and the tail (the last partitions draining). NaN with under 10 results.
     */
    public double steadyThroughput() {
        long[] times = samples.stream().mapToLong(s -> s[0]).sorted().toArray();
        return Throughputs.steady(times, 0.10, 0.90);
    }

    /** Seconds from the first send to the last result (0 before both exist). */
    public double activeSeconds() {
        long first = firstSendNanos;
        long last = lastResultNanos;
        return first == Long.MAX_VALUE || last == Long.MIN_VALUE ? 0 : Math.max(0, last - first) / 1e9;
    }
}
