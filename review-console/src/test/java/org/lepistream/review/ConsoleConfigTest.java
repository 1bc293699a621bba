package org.lepistream.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.lepistream.review.auth.PasswordHash;

class ConsoleConfigTest {

    @Test
    void theExampleConfigParsesAndItsDemoHashMatchesTheDocumentedPassword() {
        ConsoleConfig c = ConsoleConfig.of(ConsoleConfig.read(Path.of("config/console.properties.example")));
        assertEquals(8090, c.httpPort());
        assertEquals(Duration.ofMinutes(15), c.claimTtl());
        assertTrue(PasswordHash.verify("demo-password".toCharArray(), c.users().get("demo")));
        assertFalse(c.clientConfig().containsKey("lepistream.user.demo"), "own keys never reach Kafka clients");
    }

    @Test
    void ownKeysAreSplitFromClientKeysAndBadValuesNameTheKey() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "b:9092");
        p.setProperty("lepistream.user.alice", "x");
        p.setProperty("lepistream.topic.expert-labels", "labels-test");
        ConsoleConfig c = ConsoleConfig.of(p);
        assertEquals("b:9092", c.bootstrapServers());
        assertEquals("labels-test", c.labelsTopic());
        assertEquals("expert-review", c.reviewTopic());
        p.setProperty("lepistream.http.port", "http");
        var e = assertThrows(IllegalArgumentException.class, () -> ConsoleConfig.of(p));
        assertTrue(e.getMessage().contains("lepistream.http.port"), e.getMessage());
        p.setProperty("lepistream.http.port", "0");
        p.setProperty("lepistream.user.bad id", "x");
        assertThrows(IllegalArgumentException.class, () -> ConsoleConfig.of(p));
        p.remove("lepistream.user.bad id");
        var missing = assertThrows(IllegalArgumentException.class, () -> ConsoleConfig.of(p).taxonomy());
        assertTrue(missing.getMessage().contains("lepistream.taxonomy"));
    }

    @Test
    void aMisspeltKeyStopsStartUpNamingTheKeyAndTheNearestKnownOne() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "b:9092");
        p.setProperty("lepistream.claim.ttl-secnods", "60");
        var e = assertThrows(IllegalArgumentException.class, () -> ConsoleConfig.of(p));
        assertTrue(e.getMessage().contains(
                "unknown setting lepistream.claim.ttl-secnods (did you mean lepistream.claim.ttl-seconds?)"),
                e.getMessage());
    }

    @Test
    void theExampleConfigDocumentsExactlyTheKeysTheConsoleReads() throws java.io.IOException {
        String example = java.nio.file.Files.readString(Path.of("config/console.properties.example"));
        assertEquals(java.util.List.of(), ConsoleConfig.KEYS.disagreementsWith(example));
    }
}
