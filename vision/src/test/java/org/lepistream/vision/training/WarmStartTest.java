package org.lepistream.vision.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;

class WarmStartTest {

    @Test
    void copiesTheBackboneAndLeavesAResizedHeadFresh() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierConfig fourLeaves = ClassifierConfig.quick(4).withInputSize(32);
            ClassifierConfig fiveLeaves = ClassifierConfig.quick(5).withInputSize(32);
            Classifier source = Classifier.build(fourLeaves);
            Classifier target = Classifier.build(fiveLeaves);
            source.initialize(manager, DataType.FLOAT32, source.inputShape(2));
            target.initialize(manager, DataType.FLOAT32, target.inputShape(2));
            String someConv = source.getParameters().keys().get(0);
            assertFalse(Arrays.equals(param(source, someConv), param(target, someConv)));

            WarmStart.Report report = WarmStart.copy(source, target, "test");
            // Only the final linear layer (weight and bias) depends on the leaf count.
            assertEquals(2, report.skipped());
            assertEquals(source.getParameters().size() - 2, report.copied());
            assertArrayEquals(param(source, someConv), param(target, someConv));

            Classifier unrelated = Classifier.build(new ClassifierConfig(32, 8, java.util.List.of(8, 8),
                    java.util.List.of(1, 1), false, 0, 2, 4));
            unrelated.initialize(manager, DataType.FLOAT32, unrelated.inputShape(2));
            assertThrows(IllegalArgumentException.class, () -> WarmStart.copy(unrelated, target, "unrelated"));
        }
    }

    private static float[] param(Classifier block, String name) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().equals(name)) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no parameter " + name);
    }
}
