package org.lepistream.review.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Remembers, in a signed cookie, that a browser has signed in as a reviewer before. Sign-ins from such a browser
 * are braked on their own (per browser), not by the reviewer's account-wide or the address's block: whoever guesses
 * passwords for a reviewer id can slow down new browsers for that id, but cannot lock the reviewer out of the one
 * they use. The cookie proves nothing else: the password is still checked.
 */
public final class KnownBrowsers {

    private static final String PURPOSE = "known-browser";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final Signer signer;
    private final Clock clock;
    private final Duration maxAge;

    public KnownBrowsers(Signer signer, Clock clock, Duration maxAge) {
        this.signer = signer;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /** The cookie value for a browser that just signed in as {@code reviewerId}. */
    public String cookieFor(String reviewerId) {
        String body = B64.encodeToString(reviewerId.getBytes(StandardCharsets.UTF_8)) + "."
                + clock.instant().getEpochSecond() + "." + Signer.token().substring(0, 16);
        return body + "." + signer.sign(PURPOSE, body);
    }

    /** The reviewer this cookie was issued to, when it is genuine and not older than the max age. */
    public Optional<String> reviewer(String cookie) {
        if (cookie == null) {
            return Optional.empty();
        }
        String[] parts = cookie.split("\\.");
        if (parts.length != 4) {
            return Optional.empty();
        }
        String body = parts[0] + "." + parts[1] + "." + parts[2];
        if (!signer.verify(PURPOSE, body, parts[3])) {
            return Optional.empty();
        }
        try {
            long age = clock.instant().getEpochSecond() - Long.parseLong(parts[1]);
            if (age < -60 || age > maxAge.toSeconds()) {
                return Optional.empty();
            }
            return Optional.of(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public Duration maxAge() {
        return maxAge;
    }
}
