package org.lepistream.vision.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class FlatCrossEntropyTest {
    private final FlatCrossEntropy flat = new FlatCrossEntropy(new Hierarchy(ToyTaxonomy.create()));

    @Test
    void isSpeciesCrossEntropyIgnoringParentLabels() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(ToyTaxonomy.logitsOneToFour(2), new Shape(2, 4));
            // s2 and s4: (−ln 0.2 − ln 0.4) / 2 = (1.6094 + 0.9163) / 2 = 1.2629
            NDArray labels = m.create(new long[] {0, 0, 1, 1, 2, 3}, new Shape(2, 3));
            assertEquals((-Math.log(0.2) - Math.log(0.4)) / 2, flat.compute(logits, labels).getFloat(), 1e-5);
            // the family/genus columns do not matter: wrong parents, same loss
            NDArray wrongParents = m.create(new long[] {1, 2, 1, 0, 0, 3}, new Shape(2, 3));
            assertEquals(flat.compute(logits, labels).getFloat(), flat.compute(logits, wrongParents).getFloat());
        }
    }

    @Test
    void skipsSamplesWithUnknownSpecies() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(ToyTaxonomy.logitsOneToFour(2), new Shape(2, 4));
            // sample 2 is genus-only: left out, so the loss is sample 1's −ln 0.2 = 1.6094
            NDArray labels = m.create(new long[] {0, 0, 1, 1, 2, -1}, new Shape(2, 3));
            assertEquals(-Math.log(0.2), flat.compute(logits, labels).getFloat(), 1e-5);
        }
    }
}
