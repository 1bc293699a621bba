package org.lepistream.review.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in browser sessions and their CSRF tokens. A session is made only by a successful sign-in (the sign-in
 * form is protected by a {@link LoginForm} instead), always with a new id and token (no session fixation), so
 * anonymous visitors cannot fill this map. Held in memory: a restart signs everyone out.
 */
public final class Sessions {

    /** One signed-in browser's session. */
    public record Session(String id, String csrfToken, String reviewerId, Instant expiresAt) {
        /** Constant-time comparison of a submitted token with this session's. */
        public boolean csrfMatches(String submitted) {
            return submitted != null && MessageDigest.isEqual(PasswordHash.utf8(submitted),
                    PasswordHash.utf8(csrfToken));
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Session> byId = new ConcurrentHashMap<>();

    public Sessions(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The live session with this id. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = byId.get(id);
        if (s != null && !s.expiresAt().isAfter(clock.instant())) {
            byId.remove(id);
            return Optional.empty();
        }
        return Optional.ofNullable(s);
    }

    /** A new signed-in session with a new id and a new CSRF token; {@code previousId} (if any) is closed. */
    public Session signIn(String previousId, String reviewerId) {
        if (previousId != null) {
            byId.remove(previousId);
        }
        return store(new Session(token(), token(), reviewerId, clock.instant().plus(ttl)));
    }

    public void close(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    /** Live sessions (for /metrics; expired ones are dropped at the next sign-in). */
    public int size() {
        return byId.size();
    }

    private Session store(Session s) {
        Instant now = clock.instant();
        byId.values().removeIf(old -> !old.expiresAt().isAfter(now));
        byId.put(s.id(), s);
        return s;
    }

    private static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
