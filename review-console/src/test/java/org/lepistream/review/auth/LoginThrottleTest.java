package org.lepistream.review.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Policy(10, Duration.ofMinutes(1),
            Duration.ofMinutes(1), Duration.ofMinutes(5)), clock, 1000);

    private void later(Duration d) {
        now.set(now.get().plus(d));
    }

    private Optional<LoginThrottle.Block> failTimes(String key, int n) {
        Optional<LoginThrottle.Block> last = Optional.empty();
        for (int i = 0; i < n; i++) {
            last = throttle.failed(key);
            later(Duration.ofSeconds(1));
        }
        return last;
    }

    @Test
    void theTenthFailureInsideAMinuteBlocksTheKeySoTheEleventhTryIsRefused() {
        assertTrue(failTimes("account alice", 9).isEmpty());
        assertTrue(throttle.blocked("account alice").isEmpty(), "nine failures: still allowed");
        assertEquals(Duration.ofMinutes(1), throttle.failed("account alice").orElseThrow().retryAfter());
        later(Duration.ofSeconds(20));
        assertEquals(Duration.ofSeconds(40), throttle.blocked("account alice").orElseThrow().retryAfter());
        assertTrue(throttle.blocked("account bob").isEmpty(), "other keys are not touched");
        later(Duration.ofSeconds(41));
        assertTrue(throttle.blocked("account alice").isEmpty(), "the block ends by itself");
    }

    @Test
    void failuresSpreadWiderThanTheWindowNeverBlock() {
        for (int i = 0; i < 30; i++) {
            assertTrue(throttle.failed("account alice").isEmpty(), "failure " + (i + 1));
            later(Duration.ofSeconds(7)); // 9 per minute
        }
    }

    @Test
    void eachFurtherBlockDoublesUpToTheMaximumAndAQuietSpellStartsOver() {
        long[] expected = {60, 120, 240, 300, 300};
        for (long seconds : expected) {
            Duration block = failTimes("address 10.0.0.1", 10).orElseThrow().retryAfter();
            assertEquals(Duration.ofSeconds(seconds), block);
            later(block);
        }
        later(Duration.ofMinutes(6)); // quiet for longer than the longest block
        assertEquals(Duration.ofMinutes(1), failTimes("address 10.0.0.1", 10).orElseThrow().retryAfter());
    }

    @Test
    void aSuccessClearsTheFailuresSoFar() {
        failTimes("account alice", 9);
        throttle.succeeded("account alice");
        assertTrue(failTimes("account alice", 9).isEmpty());
    }

    @Test
    void theNumberOfKeysIsCappedAndBlockedKeysOutliveIdleOnes() {
        LoginThrottle small = new LoginThrottle(new LoginThrottle.Policy(2, Duration.ofMinutes(1),
                Duration.ofMinutes(1), Duration.ofMinutes(5)), clock, 100);
        small.failed("account target");
        small.failed("account target");
        assertTrue(small.blocked("account target").isPresent());
        for (int i = 0; i < 500; i++) {
            small.failed("account spray-" + i);
            if (i == 100) {
                later(Duration.ofMinutes(6)); // the first hundred are idle now; the target's block has ended
                small.failed("account target");
                small.failed("account target");
            }
        }
        assertTrue(small.size() <= 101, "held " + small.size());
    }
}
