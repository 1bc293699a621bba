package org.lepistream.review.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void verifiesTheRightPasswordOnlyAndSaltsEachHash() {
        String h = PasswordHash.hash("correct horse".toCharArray(), 2000);
        assertTrue(h.startsWith("pbkdf2-sha256$2000$"), h);
        assertTrue(PasswordHash.verify("correct horse".toCharArray(), h));
        assertFalse(PasswordHash.verify("correct horse ".toCharArray(), h));
        assertNotEquals(h, PasswordHash.hash("correct horse".toCharArray(), 2000), "random salt");
    }

    @Test
    void malformedHashLinesAreConfigurationErrorsNamingTheReviewer() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Reviewers(Map.of("carol", "plaintext")));
        assertTrue(e.getMessage().contains("carol"), e.getMessage());
    }

    @Test
    void reviewersAuthenticateByIdAndPassword() {
        Reviewers r = new Reviewers(Map.of("alice", PasswordHash.hash("s3cret-pass".toCharArray(), 2000)));
        assertEquals(Optional.of("alice"), r.authenticate("alice", "s3cret-pass".toCharArray()));
        assertEquals(Optional.empty(), r.authenticate("alice", "wrong".toCharArray()));
        assertEquals(Optional.empty(), r.authenticate("mallory", "s3cret-pass".toCharArray()));
    }

    @Test
    void signInReplacesTheSessionAndItsCsrfToken() {
        Sessions sessions = new Sessions(Clock.systemUTC(), Duration.ofMinutes(5));
        Sessions.Session first = sessions.signIn(null, "alice");
        Sessions.Session again = sessions.signIn(first.id(), "alice");
        assertTrue(sessions.find(first.id()).isEmpty(), "the old session is closed: no session fixation");
        assertNotEquals(first.csrfToken(), again.csrfToken());
        assertTrue(again.csrfMatches(again.csrfToken()));
        assertFalse(again.csrfMatches(first.csrfToken()));
        assertFalse(again.csrfMatches(null));
        assertEquals("alice", sessions.find(again.id()).orElseThrow().reviewerId());
        assertEquals(1, sessions.size());
    }

    @Test
    void theDummyHashForUnknownIdsHasTheIterationsOfTheRealOnes() {
        // Two reviewers at 600,000 (the default) and one older line at 2,000: unknown ids cost what most cost.
        Map<String, String> hashes = Map.of("a", "pbkdf2-sha256$600000$c2FsdA$aGFzaA", "b",
                "pbkdf2-sha256$600000$c2FsdA$aGFzaA", "c", "pbkdf2-sha256$2000$c2FsdA$aGFzaA");
        assertEquals(600_000, Reviewers.typicalIterations(hashes));
        assertEquals(5000, Reviewers.typicalIterations(Map.of("x", PasswordHash.hash("p".toCharArray(), 5000))));
        assertEquals(PasswordHash.DEFAULT_ITERATIONS, Reviewers.typicalIterations(Map.of()));
    }

    @Test
    void theSignInFormTokenIsTheSignatureOfItsCookieAndExpires() {
        java.util.concurrent.atomic.AtomicLong t = new java.util.concurrent.atomic.AtomicLong(1_800_000_000L);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.ofEpochSecond(t.get());
            }
        };
        LoginForm form = new LoginForm(Signer.ephemeral(), clock, Duration.ofHours(1));
        String cookie = form.newCookie();
        String token = form.tokenFor(cookie);
        assertTrue(form.accepts(cookie, token));
        assertFalse(form.accepts(form.newCookie(), token), "a token belongs to one cookie");
        assertFalse(form.accepts(cookie, token.substring(1)));
        assertFalse(form.accepts(null, token));
        assertFalse(new LoginForm(Signer.ephemeral(), clock, Duration.ofHours(1)).accepts(cookie, token),
                "another secret does not accept it");
        t.addAndGet(3601);
        assertFalse(form.accepts(cookie, token), "expired after the form's lifetime");
        assertFalse(form.fresh(cookie));
    }

    @Test
    void aKnownBrowserCookieNamesItsReviewerOnlyWhenGenuine() {
        KnownBrowsers known = new KnownBrowsers(Signer.ephemeral(), Clock.systemUTC(), Duration.ofDays(30));
        String cookie = known.cookieFor("alice");
        assertEquals(Optional.of("alice"), known.reviewer(cookie));
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("bob".getBytes())
                + cookie.substring(cookie.indexOf('.'));
        assertEquals(Optional.empty(), known.reviewer(forged));
        assertEquals(Optional.empty(), known.reviewer("garbage"));
        assertEquals(Optional.empty(), known.reviewer(null));
    }
}
