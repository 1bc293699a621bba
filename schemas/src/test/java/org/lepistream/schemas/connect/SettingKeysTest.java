package org.lepistream.schemas.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingKeysTest {

    private final SettingKeys keys = SettingKeys.under("lepistream.", "batch.max-size", "batch.max-queue-delay-ms",
            "http.port").withFamilies("threshold.");

    @Test
    void typosFindTheirKey() {
        assertEquals(Optional.of("batch.max-size"), keys.nearest("batch.max-sise"));
        assertEquals(Optional.of("batch.max-size"), keys.nearest("batch.maxsize"));
        assertEquals(Optional.of("http.port"), keys.nearest("http.prot"));
        assertEquals(Optional.of("threshold.species"), keys.nearest("treshold.species"), "a misspelt family");
        assertEquals(Optional.empty(), keys.nearest("something.else.entirely"));
    }

    @Test
    void familiesDeclareTheirMembersButNotThemselves() {
        assertTrue(keys.declares("threshold.species"));
        assertFalse(keys.declares("threshold."));
        assertFalse(keys.declares("batch.max"));
        assertEquals(Set.of("lepistream.threshold."), keys.fullFamilies());
        assertTrue(keys.fullNames().contains("lepistream.http.port"));
        assertThrows(IllegalArgumentException.class, () -> keys.withFamilies("user"));
    }

    @Test
    void editDistance() {
        assertEquals(0, SettingKeys.distance("abc", "abc"));
        assertEquals(1, SettingKeys.distance("max-sise", "max-size"));
        assertEquals(2, SettingKeys.distance("bacth", "batch"));
        assertEquals(3, SettingKeys.distance("", "abc"));
    }

    @Test
    void anExampleFileIsHeldToTheList() {
        String example = String.join("\n", "# a comment", "lepistream.batch.max-size=32", "# lepistream.http.port=8085",
                "#lepistream.threshold.species=0.8", "lepistream.batch.max-sise=4", "bootstrap.servers=x:9092");
        assertEquals(java.util.List.of("not documented: lepistream.batch.max-queue-delay-ms",
                "documented but unknown: lepistream.batch.max-sise"), keys.disagreementsWith(example));
    }
}
