package org.lepistream.review.claims;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides who may label a sighting right now: opening a sighting claims it for that reviewer until the claim
 * expires (an expert who walks away does not hold it forever); nobody else can label it meanwhile.
 *
 * <p>One console instance serves a team. Claims live in its memory and, when it has a state dir, in a
 * {@link ClaimFile} there, so they survive a restart: after one, a claim still keeps other reviewers off.
 */
public final class Claims {

    /** A reviewer's hold on a sighting until {@code expiresAt}. */
    public record Claim(String sightingId, String reviewerId, Instant expiresAt) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Claim> bySighting = new ConcurrentHashMap<>();
    private final Optional<ClaimFile> file;

    /** Claims in memory only. */
    public Claims(Clock clock, Duration ttl) {
        this(clock, ttl, Optional.empty());
    }

    /** Claims also kept in {@code file}: those saved there and still live hold again. */
    public Claims(Clock clock, Duration ttl, Optional<ClaimFile> file) {
        this.clock = clock;
        this.ttl = ttl;
        this.file = file;
        Instant now = clock.instant();
        file.ifPresent(f -> f.load().stream().filter(c -> c.expiresAt().isAfter(now))
                .forEach(c -> bySighting.put(c.sightingId(), c)));
    }

    /**
     * Claims (or renews the reviewer's own claim on) a sighting; returns the claim in force afterwards — the
     * reviewer's own when granted, someone else's live claim when refused.
     */
    public Claim claim(String sightingId, String reviewerId) {
        Instant now = clock.instant();
        Claim after = bySighting.compute(sightingId, (id, current) -> current == null
                || current.reviewerId().equals(reviewerId) || !current.expiresAt().isAfter(now)
                ? new Claim(id, reviewerId, now.plus(ttl)) : current);
        if (after.reviewerId().equals(reviewerId)) {
            save();
        }
        return after;
    }

    /** The live claim on a sighting, if any (expired claims are forgotten). */
    public Optional<Claim> holder(String sightingId) {
        Instant now = clock.instant();
        Claim c = bySighting.get(sightingId);
        if (c != null && !c.expiresAt().isAfter(now)) {
            bySighting.remove(sightingId, c);
            return Optional.empty();
        }
        return Optional.ofNullable(c);
    }

    /** True when someone other than {@code reviewerId} holds a live claim. */
    public boolean heldByOther(String sightingId, String reviewerId) {
        return holder(sightingId).map(c -> !c.reviewerId().equals(reviewerId)).orElse(false);
    }

    /** Drops the claim (after labelling, or when the reviewer skips); only the holder's claim is dropped. */
    public void release(String sightingId, String reviewerId) {
        if (bySighting.computeIfPresent(sightingId, (id, c) -> c.reviewerId().equals(reviewerId) ? null : c)
                == null) {
            save();
        }
    }

    /** Live claims now, for the queue page. */
    public Map<String, Claim> live() {
        Instant now = clock.instant();
        bySighting.values().removeIf(c -> !c.expiresAt().isAfter(now));
        return Map.copyOf(bySighting);
    }

    /** Live claims now (for /metrics). */
    public int size() {
        return live().size();
    }

    // Snapshot and write under one lock, so an older snapshot never overwrites a newer one.
    private synchronized void save() {
        Instant now = clock.instant();
        file.ifPresent(f -> f.save(bySighting.values().stream().filter(c -> c.expiresAt().isAfter(now)).toList()));
    }
}
