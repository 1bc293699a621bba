package org.lepistream.schemas.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

    enum Mode { FINETUNE, FROM_SCRATCH }

    private static final SettingKeys KEYS = SettingKeys.under("app.", "batch", "name", "n", "x", "on", "wait", "mode",
            "other", "big", "neg").withFamilies("w.");

    private static Settings of(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return ConfigFile.split(p, KEYS);
    }

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void ownKeysLoseThePrefixAndEverythingElseGoesToTheClients() {
        Settings s = of("app.batch", " 8 ", "bootstrap.servers", "b:9092", "sasl.mechanism", "PLAIN");
        assertEquals(Map.of("batch", "8"), s.own());
        assertEquals(Map.of("bootstrap.servers", "b:9092", "sasl.mechanism", "PLAIN"), s.clients());
        assertEquals("b:9092", s.bootstrapServers());
        Properties back = s.toProperties();
        assertEquals("8", back.getProperty("app.batch"));
        assertEquals("PLAIN", back.getProperty("sasl.mechanism"));
        s.clients().put("extra", "x");
        assertFalse(s.clients().containsKey("extra"), "clients() hands out copies");
    }

    @Test
    void blankValuesFallBackToTheDefault() {
        Settings s = of("app.name", "  ", "app.n", "");
        assertEquals("dflt", s.string("name", "dflt"));
        assertEquals(7, s.integer("n", 7, 0, 10));
        assertTrue(s.optional("name").isEmpty());
    }

    @Test
    void typedValuesParse() {
        Settings s = of("app.n", "12", "app.x", "0.25", "app.on", "TRUE", "app.wait", "PT10M",
                "app.mode", "from-scratch", "app.w.a", "1", "app.w.b", "2", "app.other", "3");
        assertEquals(12, s.integer("n", 0, 0, 100));
        assertEquals(0.25, s.number("x", 0), 0);
        assertTrue(s.bool("on", false));
        assertEquals(Duration.ofMinutes(10), s.duration("wait", Duration.ZERO));
        assertEquals(Mode.FROM_SCRATCH, s.choice(Mode.class, "mode", Mode.FINETUNE));
        assertEquals(Map.of("w.a", "1", "w.b", "2"), s.startingWith("w."));
    }

    @Test
    void badValuesNameTheFullKey() {
        Settings s = of("app.n", "twelve", "app.big", "500", "app.neg", "0", "app.x", "abc", "app.on", "yes",
                "app.wait", "10 minutes", "app.mode", "sometimes");
        assertEquals("app.n must be a whole number, got 'twelve'", error(() -> s.integer("n", 0, 0, 10)));
        assertEquals("app.big must be between 1 and 100, got 500", error(() -> s.integer("big", 1, 1, 100)));
        assertEquals("app.neg must be at least 1, got 0", error(() -> s.whole("neg", 1, 1, Long.MAX_VALUE)));
        assertEquals("app.x must be a number, got 'abc'", error(() -> s.number("x", 0)));
        assertEquals("app.on must be true or false, got 'yes'", error(() -> s.bool("on", false)));
        assertTrue(error(() -> s.duration("wait", Duration.ZERO)).startsWith("app.wait must be an ISO-8601 duration"));
        assertEquals("app.mode must be one of [finetune, from_scratch], got 'sometimes'",
                error(() -> s.choice(Mode.class, "mode", Mode.FINETUNE)));
        assertTrue(error(() -> of().bootstrapServers()).contains("bootstrap.servers is not set"));
    }

    @Test
    void anUnknownOwnKeyIsRefusedWithTheNearestKnownOne() {
        String message = error(() -> of("app.bacth", "8", "app.w.a", "1", "app.zzzzzzzz", "2", "other.key", "3"));
        assertEquals("unknown setting app.bacth (did you mean app.batch?); unknown setting app.zzzzzzzz."
                + " Keys without the 'app.' prefix go to the Kafka clients.", message);
        // A family member is known; keys outside the prefix belong to the clients and are not checked.
        assertEquals("1", of("app.w.a", "1", "other.key", "3").startingWith("w.").get("w.a"));
    }

    @Test
    void readingAnUndeclaredKeyIsAProgrammingError() {
        Settings s = of();
        assertThrows(IllegalStateException.class, () -> s.string("undeclared", "x"));
        assertThrows(IllegalStateException.class, () -> s.startingWith("nothing."));
    }

    @Test
    void fractionsStayInTheUnitIntervalAndListsDropEmptyEntries() {
        assertEquals(0.25, of("app.x", "0.25").fraction("x", 0.5), 1e-12);
        assertEquals(0.5, of().fraction("x", 0.5), 1e-12);
        assertEquals("app.x must be between 0 and 1, got 1.5", error(() -> of("app.x", "1.5").fraction("x", 0)));
        assertEquals(java.util.List.of("a", "b c"), of("app.name", " a, ,b c ,").list("name"));
        assertEquals(java.util.List.of(), of().list("name"));
    }
}
