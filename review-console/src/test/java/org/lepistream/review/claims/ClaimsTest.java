package org.lepistream.review.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ClaimsTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final Claims claims = new Claims(clock, Duration.ofMinutes(15));

    @Test
    void aClaimKeepsOthersOutUntilItExpires() {
        assertEquals("alice", claims.claim("s1", "alice").reviewerId());
        assertEquals("alice", claims.claim("s1", "bob").reviewerId(), "bob is refused while alice holds it");
        assertTrue(claims.heldByOther("s1", "bob"));
        assertFalse(claims.heldByOther("s1", "alice"));
        now.set(now.get().plus(Duration.ofMinutes(15)));
        assertTrue(claims.holder("s1").isEmpty(), "expired");
        assertEquals("bob", claims.claim("s1", "bob").reviewerId());
    }

    @Test
    void reclaimingRenewsAndOnlyTheHolderReleases() {
        claims.claim("s1", "alice");
        now.set(now.get().plus(Duration.ofMinutes(10)));
        Instant renewedUntil = claims.claim("s1", "alice").expiresAt();
        assertEquals(now.get().plus(Duration.ofMinutes(15)), renewedUntil);
        claims.release("s1", "bob");
        assertEquals("alice", claims.holder("s1").orElseThrow().reviewerId());
        claims.release("s1", "alice");
        assertTrue(claims.live().isEmpty());
    }
}
