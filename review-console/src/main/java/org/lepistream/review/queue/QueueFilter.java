package org.lepistream.review.queue;

import java.time.Duration;
import java.util.Locale;

/**
 * Which pending reviews a reviewer wants to see; every criterion is optional (null or blank = any).
 *
 * @param reason       a ReviewReason name (LOW_OVERLAP, LOW_CONFIDENCE, ROLLED_UP)
 * @param taxon        the model's predicted family or genus (or species): matches the top candidate at any rank
 * @param modelVersion exact model version
 * @param minAge       only items routed to review at least this long ago
 * @param maxAge       only items routed to review at most this long ago
 */
public record QueueFilter(String reason, String taxon, String modelVersion, Duration minAge, Duration maxAge) {

    public static final QueueFilter ANY = new QueueFilter(null, null, null, null, null);

    public boolean matches(QueueItem item, long nowMillis) {
        if (present(reason) && !item.reasons().contains(reason.trim().toUpperCase(Locale.ROOT))) {
            return false;
        }
        if (present(taxon) && item.top().values().stream().noneMatch(t -> t.equalsIgnoreCase(taxon.trim()))) {
            return false;
        }
        if (present(modelVersion) && !modelVersion.trim().equals(item.modelVersion())) {
            return false;
        }
        long age = nowMillis - item.routedAt();
        if (minAge != null && age < minAge.toMillis()) {
            return false;
        }
        return maxAge == null || age <= maxAge.toMillis();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
