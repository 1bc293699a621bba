package org.lepistream.decision.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lepistream.decision.taxonomy.Taxonomy;

class HierarchicalDecisionTest {

    // family F1 → genus G1 (a, b), genus G2 (c); family F2 → genus G3 (d, e). Indices follow sorted names.
    static final Taxonomy TAXONOMY = Taxonomy.fromPaths(Taxonomy.DEFAULT_RANKS, List.of(
            new String[] {"F1", "G1", "a"}, new String[] {"F1", "G1", "b"}, new String[] {"F1", "G2", "c"},
            new String[] {"F2", "G3", "d"}, new String[] {"F2", "G3", "e"}));

    private final HierarchicalDecision decision = new HierarchicalDecision(TAXONOMY);

    /** Rank probabilities from species probabilities a..e, parents summed as the model's hierarchy does. */
    static double[][] fromSpecies(double a, double b, double c, double d, double e) {
        return new double[][] {{a + b + c, d + e}, {a + b, c, d + e}, {a, b, c, d, e}};
    }

    @Test
    void confidentSpeciesIsDecidedWithItsAncestors() {
        var d = decision.decide(fromSpecies(0.8, 0.1, 0.05, 0.03, 0.02), new double[] {0.5, 0.5, 0.5});
        assertTrue(d.confident());
        assertEquals(2, d.rank());
        assertEquals("a", TAXONOMY.name(2, d.index()));
        assertArrayEquals(new int[] {0, 0, 0}, d.path());
        assertEquals(0.8, d.probability(), 1e-12);
    }

    @Test
    void unsureSpeciesRollsUpToGenus() {
        // a 0.40 and b 0.35 split their genus G1 (0.75).
        var d = decision.decide(fromSpecies(0.40, 0.35, 0.1, 0.1, 0.05), new double[] {0.5, 0.5, 0.5});
        assertEquals(1, d.rank());
        assertEquals("G1", TAXONOMY.name(1, d.index()));
        assertEquals(0.75, d.probability(), 1e-12);
        assertTrue(d.confident());
    }

    @Test
    void genusOutsideTheDecidedFamilyIsNeverChosen() {
        // F1 = 0.6 clears; the globally best genus is G3 (0.4, in F2), which would clear 0.35, but inside F1 the
        // best genus (G1 or G2, 0.3) does not: the decision stays at F1.
        var d = decision.decide(fromSpecies(0.3, 0.0, 0.3, 0.2, 0.2), new double[] {0.5, 0.35, 0.5});
        assertEquals(0, d.rank());
        assertEquals("F1", TAXONOMY.name(0, d.index()));
    }

    @Test
    void speciesOutsideTheDecidedGenusIsNeverChosen() {
        // Globally best species is d (0.30, in F2) and best genus G3 (0.40), yet F1 (0.6) is the confident family:
        // descending inside it gives G1 (0.35) and then a (0.28), both clearing their thresholds.
        var d = decision.decide(fromSpecies(0.28, 0.07, 0.25, 0.30, 0.10), new double[] {0.5, 0.3, 0.25});
        assertEquals(2, d.rank());
        assertEquals("a", TAXONOMY.name(2, d.index()));
        assertArrayEquals(new int[] {0, 0, 0}, d.path());
    }

    @Test
    void nothingConfidentReportsTheBestFamilyAsNotConfident() {
        var d = decision.decide(fromSpecies(0.2, 0.1, 0.15, 0.3, 0.25), new double[] {0.6, 0.5, 0.5});
        assertFalse(d.confident());
        assertEquals(0, d.rank());
        assertEquals("F2", TAXONOMY.name(0, d.index()));
        assertEquals(0.55, d.probability(), 1e-12);
    }

    @Test
    void decisionsAreAlwaysAConsistentPathThatClearsEveryThreshold() {
        Random random = new Random(11);
        for (int trial = 0; trial < 2000; trial++) {
            double[] s = new double[5];
            double sum = 0;
            for (int i = 0; i < 5; i++) {
                s[i] = Math.pow(random.nextDouble(), 3);
                sum += s[i];
            }
            for (int i = 0; i < 5; i++) {
                s[i] /= sum;
            }
            double[][] p = fromSpecies(s[0], s[1], s[2], s[3], s[4]);
            double[] t = {random.nextDouble(), random.nextDouble(), random.nextDouble()};
            var d = decision.decide(p, t);
            int[] path = d.path();
            assertEquals(d.rank() + 1, path.length);
            assertEquals(d.index(), path[d.rank()]);
            for (int r = 1; r < path.length; r++) {
                assertEquals(path[r - 1], TAXONOMY.parent(r, path[r]), "child outside its decided parent");
            }
            if (d.confident()) {
                for (int r = 0; r < path.length; r++) {
                    assertTrue(p[r][path[r]] >= t[r], "rank " + r + " below threshold");
                }
                if (d.rank() + 1 < 3) {
                    // Stopped because the best child of the decided node was below the next threshold.
                    double bestChild = 0;
                    for (int c = 0; c < TAXONOMY.size(d.rank() + 1); c++) {
                        if (TAXONOMY.parent(d.rank() + 1, c) == d.index()) {
                            bestChild = Math.max(bestChild, p[d.rank() + 1][c]);
                        }
                    }
                    assertTrue(bestChild < t[d.rank() + 1]);
                }
            } else {
                assertTrue(Math.max(p[0][0], p[0][1]) < t[0]);
            }
        }
    }

    @Test
    void mismatchedShapesAreRefusedClearly() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> decision.decide(new double[][] {{1, 0}, {1, 0, 0}}, new double[] {0.5, 0.5}));
        assertTrue(e.getMessage().contains("expected 3 ranks"));
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> decision.decide(new double[][] {{1, 0}, {1, 0, 0}, {1, 0}}, new double[] {0.5, 0.5, 0.5}));
        assertTrue(e2.getMessage().contains("species"));
    }
}
