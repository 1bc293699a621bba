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
        Sessions.Session anonymous = sessions.open();
        Sessions.Session signedIn = sessions.signIn(anonymous.id(), "alice");
        assertTrue(sessions.find(anonymous.id()).isEmpty(), "no session fixation");
        assertNotEquals(anonymous.csrfToken(), signedIn.csrfToken());
        assertTrue(signedIn.csrfMatches(signedIn.csrfToken()));
        assertFalse(signedIn.csrfMatches(anonymous.csrfToken()));
        assertFalse(signedIn.csrfMatches(null));
        assertEquals("alice", sessions.find(signedIn.id()).orElseThrow().reviewerId());
    }
}
