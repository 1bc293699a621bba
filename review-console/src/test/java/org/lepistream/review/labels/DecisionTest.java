package org.lepistream.review.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.lepistream.schemas.Verdict;

class DecisionTest {

    @Test
    void parsesEachAction() {
        Decision d = Decision.parse("label", " Vanessa ", "Genus", "  only sure of the genus ");
        assertEquals(new Decision(Verdict.CONFIRMED, "Vanessa", "genus", "only sure of the genus"), d);
        assertEquals(Verdict.UNIDENTIFIABLE, Decision.parse("unidentifiable", "x", "y", "").verdict());
        assertNull(Decision.parse("not-a-butterfly", "x", "y", null).taxon());
    }

    @Test
    void refusesATaxonlessLabelAndUnknownActions() {
        assertThrows(IllegalArgumentException.class, () -> Decision.parse("confirm", "", "species", null));
        assertThrows(IllegalArgumentException.class, () -> Decision.parse("delete", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Decision.parse("unidentifiable", null, null,
                "x".repeat(2001)));
    }
}
