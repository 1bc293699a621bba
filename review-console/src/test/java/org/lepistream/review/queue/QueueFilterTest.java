package org.lepistream.review.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lepistream.review.Fixtures;
import org.lepistream.schemas.ReviewReason;

class QueueFilterTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final List<QueueItem> items = List.of(
            QueueItem.of(Fixtures.request("a", "Vanessa cardui", ReviewReason.LOW_OVERLAP, 0.2, "v1",
                    NOW.minus(Duration.ofMinutes(5)), null)),
            QueueItem.of(Fixtures.request("b", "Pieris rapae", ReviewReason.LOW_CONFIDENCE, 0.8, "v1",
                    NOW.minus(Duration.ofDays(2)), null)),
            QueueItem.of(Fixtures.request("c", "Danaus plexippus", ReviewReason.ROLLED_UP, 0.9, "v2",
                    NOW.minus(Duration.ofDays(9)), null)));

    private List<String> ids(QueueFilter f) {
        return items.stream().filter(i -> f.matches(i, NOW.toEpochMilli())).map(QueueItem::sightingId).toList();
    }

    @Test
    void filtersByReasonPredictedTaxonModelAndAge() {
        assertEquals(List.of("a", "b", "c"), ids(QueueFilter.ANY));
        assertEquals(List.of("a"), ids(new QueueFilter("low_overlap", null, null, null, null)));
        assertEquals(List.of("a", "c"), ids(new QueueFilter(null, "nymphalidae", null, null, null)));
        assertEquals(List.of("a"), ids(new QueueFilter(null, "Vanessa", null, null, null)));
        assertEquals(List.of("c"), ids(new QueueFilter(null, null, "v2", null, null)));
        assertEquals(List.of("a"), ids(new QueueFilter(null, null, null, null, Duration.ofHours(1))));
        assertEquals(List.of("b", "c"), ids(new QueueFilter(null, null, null, Duration.ofDays(1), null)));
        assertEquals(List.of("c"), ids(new QueueFilter(null, "Nymphalidae", " v2 ", Duration.ofDays(7), null)));
    }
}
