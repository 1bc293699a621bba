package org.lepistream.tools.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OracleTest {

    @Test
    void reviewsFirstThenAuditsFillTheBudget() {
        Oracle.Choice c = Oracle.choose(List.of("r1", "r2"), List.of("a1", "a2", "a3", "a4"), 4, new Random(1));
        assertEquals(new HashSet<>(List.of("r1", "r2")), new HashSet<>(c.reviewed()));
        assertEquals(2, c.audited().size());
        assertTrue(List.of("a1", "a2", "a3", "a4").containsAll(c.audited()));
        assertEquals(4, c.total());
    }

    @Test
    void moreReviewsThanBudgetTakesARandomSubsetAndNoAudit() {
        Oracle.Choice c = Oracle.choose(List.of("r1", "r2", "r3", "r4", "r5"), List.of("a1"), 3, new Random(1));
        assertEquals(3, c.reviewed().size());
        assertEquals(0, c.audited().size());
    }

    @Test
    void theBudgetIsTheSameWhateverTheReviewRate() {
        // Equal label budget: two arms with very different review rates label the same number of sightings.
        Oracle.Choice a = Oracle.choose(List.of("r1", "r2", "r3"), List.of("a1", "a2", "a3"), 5, new Random(2));
        Oracle.Choice b = Oracle.choose(List.of("r1"), List.of("a1", "a2", "a3", "a4", "a5"), 5, new Random(2));
        assertEquals(a.total(), b.total());
        assertEquals(1, Oracle.choose(List.of(), List.of("a1"), 5, new Random(3)).total(), "capped by what exists");
    }
}
