package org.lepistream.vision.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class HierarchyTest {
    private final Hierarchy hierarchy = new Hierarchy(ToyTaxonomy.create());

    @Test
    void parentProbabilityIsTheSumOfItsChildren() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(ToyTaxonomy.logitsOneToFour(1), new Shape(1, 4));
            NDList p = hierarchy.rankProbabilities(logits);
            // species (0.1, 0.2, 0.3, 0.4)
            assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, p.get(2).toFloatArray(), 1e-6f);
            // genus Ga = s1+s2 = 0.3, Gb = s3 = 0.3, Gc = s4 = 0.4
            assertArrayEquals(new float[] {0.3f, 0.3f, 0.4f}, p.get(1).toFloatArray(), 1e-6f);
            // family Fa = Ga+Gb = 0.6, Fb = Gc = 0.4
            assertArrayEquals(new float[] {0.6f, 0.4f}, p.get(0).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void theJavaPathGivesWhatTheArrayPathGivesForEveryRowAndTemperature() {
        // The Identifier's post-processing uses the Java path on every engine; training and its temperature fit use
        // the array path. The two must agree, or val and serving would read different probabilities.
        float[] logits = {0.3f, -1.2f, 2.5f, 0.0f, 12f, -30f, 11.5f, 4f, -0.7f, -0.7f, -0.7f, -0.7f};
        try (NDManager m = NDManager.newBaseManager()) {
            for (double t : new double[] {1.0, 0.78, 2.5}) {
                Hierarchy h = hierarchy.withTemperature(t);
                NDList want = h.rankProbabilities(m.create(logits, new Shape(3, 4)));
                for (int row = 0; row < 3; row++) {
                    double[][] got = h.rankProbabilities(logits, row);
                    assertEquals(3, got.length);
                    for (int r = 0; r < 3; r++) {
                        float[] w = want.get(r).toFloatArray();
                        int k = w.length / 3;
                        assertEquals(k, got[r].length, "rank " + r);
                        double sum = 0;
                        for (int j = 0; j < k; j++) {
                            assertEquals(w[row * k + j], got[r][j], 1e-6, "T " + t + " row " + row + " rank " + r);
                            sum += got[r][j];
                        }
                        assertEquals(1.0, sum, 1e-9);
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> hierarchy.rankProbabilities(logits, 3));
        assertThrows(IllegalArgumentException.class, () -> hierarchy.rankProbabilities(new float[5], 0));
    }

    @Test
    void logProbabilitiesMatchTheLogOfProbabilitiesAndStayFiniteWhenConfident() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(ToyTaxonomy.logitsOneToFour(1), new Shape(1, 4));
            NDList logP = hierarchy.rankLogProbabilities(logits);
            assertArrayEquals(new float[] {(float) Math.log(0.6), (float) Math.log(0.4)},
                    logP.get(0).toFloatArray(), 1e-5f);
            assertArrayEquals(new float[] {(float) Math.log(0.3), (float) Math.log(0.3), (float) Math.log(0.4)},
                    logP.get(1).toFloatArray(), 1e-5f);
            // s4 is 200 nats ahead: exp underflows for the others, but their log-probabilities must stay finite.
            NDArray extreme = m.create(new float[] {0, 0, 0, 200}, new Shape(1, 4));
            for (NDArray rank : hierarchy.rankLogProbabilities(extreme)) {
                for (float v : rank.toFloatArray()) {
                    assertTrue(Float.isFinite(v), "log-probability " + v);
                }
            }
        }
    }

    @Test
    void rejectsLogitsOfTheWrongWidth() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.zeros(new Shape(2, 5));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> hierarchy.rankProbabilities(logits));
            assertTrue(e.getMessage().contains("(N,4)"), e.getMessage());
        }
    }

    @Test
    void membershipMatrixHasOneAncestorPerLeaf() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray genus = hierarchy.membership(m, 1);
            assertEquals(new Shape(4, 3), genus.getShape());
            // s1,s2 → Ga; s3 → Gb; s4 → Gc
            assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, genus.toFloatArray());
        }
    }
}
