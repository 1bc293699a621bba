package org.lepistream.review.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void claimsKeptInAFileHoldAgainAfterARestartAndExpiredOnesDoNot(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("console.claims.json");
        Claims before = new Claims(clock, Duration.ofMinutes(15), Optional.of(new ClaimFile(file)));
        before.claim("s1", "alice");
        before.claim("s2", "alice");
        before.claim("s3", "bob");
        before.release("s2", "alice");
        now.set(now.get().plus(Duration.ofMinutes(5)));
        before.claim("s3", "bob"); // bob's claim renewed: 15 min from now

        now.set(now.get().plus(Duration.ofMinutes(12))); // alice's claim on s1 has expired meanwhile
        Claims after = new Claims(clock, Duration.ofMinutes(15), Optional.of(new ClaimFile(file)));
        assertEquals(Set.of("s3"), after.live().keySet());
        assertTrue(after.heldByOther("s3", "alice"), "bob still holds s3 after the restart");
        assertEquals("bob", after.claim("s3", "alice").reviewerId());
        assertTrue(after.holder("s2").isEmpty(), "a released claim stays released");
        assertTrue(Files.readString(file).contains("\"s3\""));
    }

    @Test
    void anUnreadableClaimFileIsAClearErrorNotAnEmptySetOfClaims(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), "{not json");
        var e = assertThrows(java.io.UncheckedIOException.class,
                () -> new Claims(clock, Duration.ofMinutes(15), Optional.of(new ClaimFile(file))));
        assertTrue(e.getMessage().contains("the claims") && e.getMessage().contains("move it away"), e.getMessage());
    }
}
