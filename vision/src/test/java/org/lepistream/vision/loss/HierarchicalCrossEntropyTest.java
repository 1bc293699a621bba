package org.lepistream.vision.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** WCE on the toy taxonomy; species probabilities (0.1, 0.2, 0.3, 0.4), genus (0.3, 0.3, 0.4), family (0.6, 0.4). */
class HierarchicalCrossEntropyTest {
    private final Hierarchy hierarchy = new Hierarchy(ToyTaxonomy.create());
    private final HierarchicalCrossEntropy wce = new HierarchicalCrossEntropy(hierarchy, 1.0, 0.5, 2.0);

    private static NDArray labels(NDManager m, long... rows) {
        return m.create(rows, new Shape(rows.length / 3, 3));
    }

    @Test
    void weightsEachRankCrossEntropyByLambda() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(ToyTaxonomy.logitsOneToFour(2), new Shape(2, 4));
            // sample 1 = s2 (Fa, Ga, s2): −(1·ln 0.6 + 0.5·ln 0.3 + 2·ln 0.2) = 0.5108 + 0.6020 + 3.2189 = 4.3318
            // sample 2 = s4 (Fb, Gc, s4): −(1·ln 0.4 + 0.5·ln 0.4 + 2·ln 0.4) = 3.5 · 0.9163 = 3.2070
            double first = -(Math.log(0.6) + 0.5 * Math.log(0.3) + 2 * Math.log(0.2));
            double second = -3.5 * Math.log(0.4);
            NDArray loss = wce.compute(logits, labels(m, 0, 0, 1, 1, 2, 3));
            assertEquals((first + second) / 2, loss.getFloat(), 1e-5); // 3.7694
            // weights (2, 1): (2·4.3318 + 3.2070) / 3 = 3.9569
            NDArray weighted = wce.compute(logits, labels(m, 0, 0, 1, 1, 2, 3), m.create(new float[] {2, 1}));
            assertEquals((2 * first + second) / 3, weighted.getFloat(), 1e-5);
        }
    }

    @Test
    void skipsUnknownRanksSoGenusOnlyLabelsTrain() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(ToyTaxonomy.logitsOneToFour(2), new Shape(2, 4));
            // sample 1 labelled to genus Ga only: −(1·ln 0.6 + 0.5·ln 0.3) = 0.5108 + 0.6020 = 1.1128
            // sample 2 has no label at all: left out of the mean (not counted as a zero)
            NDArray loss = wce.compute(logits, labels(m, 0, 0, -1, -1, -1, -1));
            assertEquals(-(Math.log(0.6) + 0.5 * Math.log(0.3)), loss.getFloat(), 1e-5);
        }
    }

    @Test
    void aBatchWithoutAnyLabelGivesZeroNotNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(ToyTaxonomy.logitsOneToFour(1), new Shape(1, 4));
            assertEquals(0f, wce.compute(logits, labels(m, -1, -1, -1)).getFloat());
        }
    }

    @Test
    void labelSmoothingMixesInTheMeanLogProbability() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(ToyTaxonomy.logitsOneToFour(1), new Shape(1, 4));
            HierarchicalCrossEntropy speciesOnly =
                    new HierarchicalCrossEntropy(hierarchy, new double[] {0, 0, 1}, 0.1);
            // ε = 0.1, label s2: 0.9·(−ln 0.2) + 0.1·(−(ln 0.1 + ln 0.2 + ln 0.3 + ln 0.4)/4) = 1.4485 + 0.1669
            double expected = 0.9 * -Math.log(0.2)
                    + 0.1 * -(Math.log(0.1) + Math.log(0.2) + Math.log(0.3) + Math.log(0.4)) / 4;
            assertEquals(expected, speciesOnly.compute(logits, labels(m, 0, 0, 1)).getFloat(), 1e-5);
        }
    }

    @Test
    void badInputGetsAClearError() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(ToyTaxonomy.logitsOneToFour(1), new Shape(1, 4));
            IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                    () -> wce.compute(logits, labels(m, 0, 7, 1)));
            assertTrue(range.getMessage().contains("genus"), range.getMessage());
            assertThrows(IllegalArgumentException.class, () -> wce.compute(logits, m.create(new long[] {0, 1})));
            assertThrows(IllegalArgumentException.class,
                    () -> wce.compute(logits, labels(m, 0, 0, 1), m.create(new float[] {-1})));
            assertThrows(IllegalArgumentException.class, () -> new HierarchicalCrossEntropy(hierarchy, 1, 1));
        }
    }
}
