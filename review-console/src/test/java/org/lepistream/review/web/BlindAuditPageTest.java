package org.lepistream.review.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lepistream.review.Fixtures;
import org.lepistream.review.queue.QueueItem;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.ReviewRequest;

/** An audit is reviewed blind: nothing on its page or in the queue says what the model answered. */
class BlindAuditPageTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private static String page(ReviewReason reason) {
        ReviewRequest r = Fixtures.request("s1", "Vanessa cardui", reason, 0.8, "v1", T, Fixtures.photo(1));
        QueueItem item = QueueItem.of(r);
        return Pages.sighting("alice", "csrf", r, item, new Photos.Picture(new byte[] {1}, "image/jpeg", null), true,
                true, null, Filters.from(k -> null), T.toEpochMilli(), Fixtures.TAXONOMY, null);
    }

    @Test
    void anAuditShowsNeitherTheModelsAnswerNorItsCandidates() {
        String audit = page(ReviewReason.AUDIT);
        assertTrue(audit.contains("id='audit-note'"), audit);
        assertFalse(audit.contains("Vanessa"), "the model's answer leaks: " + audit);
        assertFalse(audit.contains("id='confirm'") || audit.contains("class='topk'"), audit);
        assertTrue(audit.contains("id='taxon-search'") && audit.contains("id='unidentifiable'"), "still labellable");
    }

    @Test
    void otherReviewsShowTheModelsAnswer() {
        String review = page(ReviewReason.LOW_CONFIDENCE);
        assertTrue(review.contains("id='confirm'") && review.contains("class='topk'"), review);
        assertTrue(review.contains("Vanessa cardui"));
        assertFalse(review.contains("audit-note"));
    }

    @Test
    void theQueueHidesAnAuditsAnswerToo() {
        ReviewRequest a = Fixtures.request("a1", "Vanessa cardui", ReviewReason.AUDIT, 0.8, "v1", T, null);
        String queue = Pages.queue("alice", "csrf", java.util.List.of(QueueItem.of(a)), 1, Filters.from(k -> null),
                Map.of(), Map.of(), java.util.Set.of("v1"), T.toEpochMilli(), "");
        assertTrue(queue.contains("hidden (audit)"), queue);
        assertFalse(queue.contains("Vanessa"), queue);
    }
}
