package org.lepistream.streams.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuditTest {

    @Test
    void choosesTheConfiguredShareOfAnyIdsWhateverTheyLookLike() {
        Audit audit = new Audit(0.02);
        int n = 100_000;
        int sequential = 0;
        int random = 0;
        for (int i = 0; i < n; i++) {
            sequential += audit.selects("s-" + i) ? 1 : 0;
            random += audit.selects(UUID.nameUUIDFromBytes(("x" + i).getBytes()).toString()) ? 1 : 0;
        }
        // Binomial(100000, 0.02): sd ≈ 44; four sd either side.
        assertEquals(2000, sequential, 180);
        assertEquals(2000, random, 180);
    }

    /** Ids from different uploaders (different shapes, as different taxa's sightings may have): each group at 2%. */
    @Test
    void everyGroupOfIdsIsAuditedAtTheSameShare() {
        Audit audit = new Audit(0.05);
        List<String> prefixes = List.of("inat-", "ebutterfly-", "app/2026/", "");
        for (String prefix : prefixes) {
            int chosen = 0;
            for (int i = 0; i < 20_000; i++) {
                chosen += audit.selects(prefix + i) ? 1 : 0;
            }
            assertEquals(1000, chosen, 130, prefix);
        }
    }

    @Test
    void theSameSightingIsChosenEveryTime() {
        Audit a = new Audit(0.3);
        Audit b = new Audit(0.3);
        List<Boolean> first = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            first.add(a.selects("id-" + i));
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(first.get(i), b.selects("id-" + i));
        }
        // A larger share audits a superset: raising it never un-audits a sighting.
        Audit more = new Audit(0.5);
        for (int i = 0; i < 200; i++) {
            if (first.get(i)) {
                assertTrue(more.selects("id-" + i));
            }
        }
    }

    @Test
    void zeroAuditsNothingAndOneEverything() {
        assertFalse(Audit.NONE.selects("anything"));
        assertTrue(new Audit(1).selects("anything"));
        assertThrows(IllegalArgumentException.class, () -> new Audit(1.5));
        assertThrows(IllegalArgumentException.class, () -> new Audit(-0.1));
    }
}
