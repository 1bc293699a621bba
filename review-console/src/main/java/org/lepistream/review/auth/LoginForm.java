package org.lepistream.review.auth;

import java.time.Clock;
import java.time.Duration;

/**
 * The CSRF defence of the sign-in form without a server-side session: the browser gets a random cookie, the form a
 * token that is the HMAC of that cookie under the console's secret (a signed double-submit cookie). A forged
 * cross-site POST has neither the cookie (SameSite=Strict) nor the token; the console stores nothing per visitor,
 * so cookie-less requests for the sign-in page cost no memory.
 */
public final class LoginForm {

    private static final String PURPOSE = "login-form";
    private final Signer signer;
    private final Clock clock;
    private final Duration maxAge;

    public LoginForm(Signer signer, Clock clock, Duration maxAge) {
        this.signer = signer;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /** A new cookie value: issue time (epoch seconds) and a random part. */
    public String newCookie() {
        return clock.instant().getEpochSecond() + "." + Signer.token();
    }

    /** The token the form carries for this cookie. */
    public String tokenFor(String cookie) {
        return signer.sign(PURPOSE, cookie);
    }

    /** True when the cookie is one of ours, not older than the form's lifetime, and the token is its signature. */
    public boolean accepts(String cookie, String token) {
        if (cookie == null || token == null) {
            return false;
        }
        int dot = cookie.indexOf('.');
        long issued;
        try {
            issued = Long.parseLong(cookie.substring(0, Math.max(dot, 0)));
        } catch (NumberFormatException e) {
            return false;
        }
        long age = clock.instant().getEpochSecond() - issued;
        return age >= -60 && age <= maxAge.toSeconds() && signer.verify(PURPOSE, cookie, token);
    }

    /** Whether a cookie is still usable (else the sign-in page hands out a new one). */
    public boolean fresh(String cookie) {
        return cookie != null && accepts(cookie, tokenFor(cookie));
    }
}
