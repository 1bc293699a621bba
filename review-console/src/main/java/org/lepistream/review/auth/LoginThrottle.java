package org.lepistream.review.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The brake on password guessing. Failed sign-ins are counted per key (a reviewer id, known or not, and a client
 * address); {@code limit} failures inside {@code window} block the key for a back-off that doubles with each
 * further block ({@code firstBlock}, 2×, 4×, … up to {@code maxBlock}) and starts again after a quiet
 * {@code maxBlock} without failures (counted from the end of the last block). A blocked key is answered without
 * checking the password at all.
 *
 * <p>Unknown ids are counted like known ones, so a block does not tell which ids exist. The number of keys held is
 * capped: idle keys go first, then the oldest.
 */
public final class LoginThrottle {

    /** A refusal: retry after this long. */
    public record Block(Duration retryAfter) {
    }

    /** How one kind of key is braked. */
    public record Policy(int limit, Duration window, Duration firstBlock, Duration maxBlock) {
        public Policy {
            if (limit < 1 || window.isNegative() || firstBlock.isNegative() || maxBlock.compareTo(firstBlock) < 0) {
                throw new IllegalArgumentException("sign-in throttle: limit >= 1 and 0 <= first block <= max block");
            }
        }
    }

    private static final class Key {
        final Deque<Instant> failures = new ArrayDeque<>();
        Instant blockedUntil = Instant.MIN;
        Instant lastFailure = Instant.MIN;
        int strikes;
    }

    private final Policy policy;
    private final Clock clock;
    private final int maxKeys;
    private final Map<String, Key> keys = new LinkedHashMap<>(256, 0.75f, true);

    public LoginThrottle(Policy policy, Clock clock, int maxKeys) {
        this.policy = policy;
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    /** The block in force for this key, if any. */
    public synchronized Optional<Block> blocked(String key) {
        Key k = keys.get(key);
        Instant now = clock.instant();
        if (k == null || !k.blockedUntil.isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(new Block(Duration.between(now, k.blockedUntil)));
    }

    /** Counts a failed sign-in; returns the block it starts, if it starts one. */
    public synchronized Optional<Block> failed(String key) {
        Instant now = clock.instant();
        Key k = keys.computeIfAbsent(key, x -> new Key());
        Instant quietSince = k.blockedUntil.isAfter(k.lastFailure) ? k.blockedUntil : k.lastFailure;
        if (Duration.between(quietSince, now).compareTo(policy.maxBlock()) > 0) {
            k.strikes = 0; // quiet long enough: the back-off starts again from the first step
        }
        k.lastFailure = now;
        k.failures.addLast(now);
        while (!k.failures.isEmpty() && !k.failures.peekFirst().isAfter(now.minus(policy.window()))) {
            k.failures.removeFirst();
        }
        trim(now);
        if (k.failures.size() < policy.limit()) {
            return Optional.empty();
        }
        Duration block = backOff(k.strikes++);
        k.blockedUntil = now.plus(block);
        k.failures.clear(); // after the block, another `limit` failures earn the next, longer one
        return Optional.of(new Block(block));
    }

    /** A successful sign-in clears the key's failures (not its block: a blocked key never gets that far). */
    public synchronized void succeeded(String key) {
        keys.remove(key);
    }

    public synchronized int size() {
        return keys.size();
    }

    private Duration backOff(int strikes) {
        Duration d = policy.firstBlock();
        for (int i = 0; i < strikes && d.compareTo(policy.maxBlock()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(policy.maxBlock()) > 0 ? policy.maxBlock() : d;
    }

    private void trim(Instant now) {
        if (keys.size() <= maxKeys) {
            return;
        }
        // Idle keys first (no block in force, no failure within the back-off horizon), then the least recently used.
        keys.values().removeIf(k -> !k.blockedUntil.isAfter(now)
                && Duration.between(k.lastFailure, now).compareTo(policy.maxBlock()) > 0);
        var it = keys.entrySet().iterator();
        while (keys.size() > maxKeys && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
