package org.lepistream.review.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.review.ConsoleConfig;

class SimulatedReviewerTest {

    @Test
    void theTruthFileIsFollowedAsItGrowsAndRereadWhenRewritten(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("truth.csv");
        TruthFile truth = new TruthFile(f);
        truth.refresh(); // not there yet: no answers, no error
        assertEquals(0, truth.size());
        Files.writeString(f, "sighting_id,rank,taxon\na,species,\"Vanessa, cardui\"\nb,genus,Pier");
        truth.refresh();
        assertEquals("Vanessa, cardui", truth.answer("a").orElseThrow().taxon());
        assertTrue(truth.answer("b").isEmpty(), "a half-written line waits");
        Files.writeString(f, "is\n", java.nio.file.StandardOpenOption.APPEND);
        truth.refresh();
        assertEquals(new TruthFile.Answer("genus", "Pieris"), truth.answer("b").orElseThrow());
        truth.forget("a");
        assertTrue(truth.answer("a").isEmpty());
        Files.writeString(f, "sighting_id,rank,taxon\nc,family,Pieridae\n");
        truth.refresh();
        assertEquals("Pieridae", truth.answer("c").orElseThrow().taxon());
    }

    @Test
    void aRateWithoutATruthFileOrAPersonCalledAutoIsRefused() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "localhost:9");
        p.setProperty("lepistream.auto-review.rate", "0.5");
        var e = assertThrows(IllegalArgumentException.class, () -> ConsoleConfig.of(p));
        assertTrue(e.getMessage().contains("auto-review.truth"), e.getMessage());
        p.setProperty("lepistream.auto-review.truth", "t.csv");
        p.setProperty("lepistream.user.auto", "x");
        e = assertThrows(IllegalArgumentException.class, () -> ConsoleConfig.of(p));
        assertTrue(e.getMessage().contains("simulated reviewer"), e.getMessage());
        p.remove("lepistream.user.auto");
        assertEquals(0.5, ConsoleConfig.of(p).autoReviewRate());
        p.setProperty("lepistream.auto-review.rate", "1.5");
        assertThrows(IllegalArgumentException.class, () -> ConsoleConfig.of(p));
    }
}
