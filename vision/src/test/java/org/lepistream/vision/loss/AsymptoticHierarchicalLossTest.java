package org.lepistream.vision.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Default parent term for family→genus→species: A(g,f) = 1 − (0.5·g^0.5 + 0.5·f^2). */
class AsymptoticHierarchicalLossTest {
    private final Hierarchy hierarchy = new Hierarchy(ToyTaxonomy.create());
    private final AsymptoticHierarchicalLoss loss = new AsymptoticHierarchicalLoss(hierarchy);

    /** A per row for (family, genus) probability rows. */
    private float[] parentTerm(NDManager m, float... familyGenusPairs) {
        return loss.parentTerm(m.create(familyGenusPairs, new Shape(familyGenusPairs.length / 2, 2))).toFloatArray();
    }

    @Test
    void defaultsAreTheDocumentedCandidate() {
        assertEquals(2.0, loss.exponents()[0]); // family: b > 1
        assertEquals(0.5, loss.exponents()[1]); // genus: a < 1
        assertEquals(0.5, loss.weights()[0]);
        assertEquals(0.5, loss.weights()[1]);
    }

    @Test
    void isZeroWhenParentsAreCertainAndOneWhenTheyAreImpossible() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] a = parentTerm(m, 1, 1, 0, 0, 1, 0, 0, 1);
            assertEquals(0, a[0], 1e-7); // f = g = 1: 1 − (0.5 + 0.5)
            assertEquals(1, a[1], 1e-5); // f = g = 0: 1 − 0 (up to the 1e-12 floor: 1 − 0.5·1e-6)
            assertEquals(0.5, a[2], 1e-5); // f = 1, g = 0: 1 − 0.5
            assertEquals(0.5, a[3], 1e-5); // f = 0, g = 1: 1 − 0.5
        }
    }

    @Test
    void staysWithinZeroAndOneAndMatchesThePlainJavaFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] grid = new float[2 * 121];
            for (int i = 0; i <= 10; i++) {
                for (int j = 0; j <= 10; j++) {
                    grid[2 * (i * 11 + j)] = i / 10f;
                    grid[2 * (i * 11 + j) + 1] = j / 10f;
                }
            }
            float[] a = parentTerm(m, grid);
            for (int k = 0; k < a.length; k++) {
                assertTrue(a[k] >= 0 && a[k] <= 1, "A = " + a[k]);
                assertEquals(loss.parentTerm(grid[2 * k], grid[2 * k + 1]), a[k], 1e-6);
            }
        }
    }

    @Test
    void gradientIsSteepestForTheGenusNearZeroAndForTheFamilyNearOne() {
        float[] levels = {0.01f, 0.1f, 0.5f, 0.9f, 0.99f};
        try (NDManager m = NDManager.newBaseManager()) {
            float[] pairs = new float[4 * levels.length];
            for (int i = 0; i < levels.length; i++) {
                // rows 0..4 vary the genus at family 0.5; rows 5..9 vary the family at genus 0.5
                pairs[2 * i] = 0.5f;
                pairs[2 * i + 1] = levels[i];
                pairs[2 * (levels.length + i)] = levels[i];
                pairs[2 * (levels.length + i) + 1] = 0.5f;
            }
            NDArray p = m.create(pairs, new Shape(2 * levels.length, 2));
            p.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.parentTerm(p).sum());
            }
            float[] grad = p.getGradient().toFloatArray();
            for (int i = 0; i < levels.length; i++) {
                float dg = grad[2 * i + 1];
                float df = grad[2 * (levels.length + i)];
                // analytic: ∂A/∂g = −0.5·0.5·g^(−0.5), ∂A/∂f = −0.5·2·f
                assertEquals(-0.25 / Math.sqrt(levels[i]), dg, 1e-4 / Math.sqrt(levels[i]));
                assertEquals(-levels[i], df, 1e-5);
                assertTrue(dg < 0 && df < 0, "raising a true-node probability must lower the loss");
                if (i > 0) {
                    assertTrue(Math.abs(dg) < Math.abs(grad[2 * (i - 1) + 1]), "genus slope shrinks as g grows");
                    assertTrue(Math.abs(df) > Math.abs(grad[2 * (levels.length + i - 1)]), "family slope grows with f");
                }
            }
            // Near 0 the genus dominates (|∂A/∂g| = 2.5 vs |∂A/∂f| = 0.01 at 0.01); near 1 the family (0.99 vs 0.25).
            assertTrue(Math.abs(grad[1]) > Math.abs(grad[2 * levels.length]));
            assertTrue(Math.abs(grad[2 * (2 * levels.length - 1)]) > Math.abs(grad[2 * (levels.length - 1) + 1]));
        }
    }

    @Test
    void addsTheParentTermToSpeciesCrossEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(ToyTaxonomy.logitsOneToFour(1), new Shape(1, 4));
            // label s2: species p = 0.2, genus Ga = 0.3, family Fa = 0.6
            // −ln 0.2 + 1 − (0.5·√0.3 + 0.5·0.6²) = 1.6094 + 1 − 0.2739 − 0.18 = 2.1556
            double expected = -Math.log(0.2) + 1 - (0.5 * Math.sqrt(0.3) + 0.5 * 0.36);
            NDArray labels = m.create(new long[] {0, 0, 1}, new Shape(1, 3));
            assertEquals(expected, loss.compute(logits, labels).getFloat(), 1e-5);
            // genus unknown: weights renormalise over the family alone: −ln 0.2 + 1 − 0.6² = 1.6094 + 0.64
            NDArray noGenus = m.create(new long[] {0, -1, 1}, new Shape(1, 3));
            assertEquals(-Math.log(0.2) + 1 - 0.36, loss.compute(logits, noGenus).getFloat(), 1e-5);
            // species unknown: parent term only: 1 − (0.5·√0.3 + 0.18) = 0.5461
            NDArray noSpecies = m.create(new long[] {0, 0, -1}, new Shape(1, 3));
            assertEquals(1 - (0.5 * Math.sqrt(0.3) + 0.18), loss.compute(logits, noSpecies).getFloat(), 1e-5);
        }
    }

    @Test
    void rejectsWeightsThatBreakTheBounds() {
        assertThrows(IllegalArgumentException.class,
                () -> new AsymptoticHierarchicalLoss(hierarchy, new double[] {0.7, 0.7}, new double[] {2, 0.5}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new AsymptoticHierarchicalLoss(hierarchy, new double[] {0.5, 0.5}, new double[] {2, 0}, 1));
    }
}
