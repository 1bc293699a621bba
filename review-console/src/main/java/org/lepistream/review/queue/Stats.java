package org.lepistream.review.queue;

import java.util.Locale;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keys of the counters the dashboard reads, and how they are updated. */
public final class Stats {
    public static final int OVERLAP_BUCKETS = 20;
    public static final String REVIEW_OVERLAP = "review-overlap:";
    public static final String ACCEPTED_OVERLAP = "accepted-overlap:";
    public static final String MODEL_REVIEW = "model-review:";
    public static final String MODEL_ACCEPTED = "model-accepted:";
    public static final String MODEL_LAST_SEEN = "model-last-seen:";
    public static final String UNDECODABLE_REQUESTS = "undecodable:expert-review";
    public static final String UNDECODABLE_LABELS = "undecodable:expert-labels";
    public static final String UNDECODABLE_IDENTIFICATIONS = "undecodable:identifications";
    public static final String DUPLICATE_LABELS = "duplicate-labels";

    private Stats() {
    }

    /** Key of the overlap histogram bucket holding {@code overlap} (20 buckets of 0.05; 1.0 goes to the last). */
    public static String overlapBucket(String prefix, double overlap) {
        double clamped = Double.isNaN(overlap) ? 0 : Math.max(0, Math.min(1, overlap));
        int bucket = Math.min(OVERLAP_BUCKETS - 1, (int) Math.floor(clamped * OVERLAP_BUCKETS));
        return prefix + String.format(Locale.ROOT, "%02d", bucket);
    }

    static void add(KeyValueStore<String, Long> stats, String key, long delta) {
        Long v = stats.get(key);
        stats.put(key, (v == null ? 0 : v) + delta);
    }

    static void max(KeyValueStore<String, Long> stats, String key, long value) {
        Long v = stats.get(key);
        if (v == null || value > v) {
            stats.put(key, value);
        }
    }
}
