package org.lepistream.vision.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierTest {

    private static NDList forward(ClassifierConfig config, int batch, boolean training) {
        Classifier classifier = Classifier.build(config);
        NDManager m = NDManager.newBaseManager();
        Shape in = classifier.inputShape(batch);
        classifier.initialize(m, DataType.FLOAT32, in);
        NDList out = classifier.forward(new ParameterStore(m, false), new NDList(m.randomNormal(in)), training);
        Shape[] declared = classifier.getOutputShapes(new Shape[] {in});
        assertEquals(declared.length, out.size());
        for (int i = 0; i < declared.length; i++) {
            assertEquals(declared[i], out.get(i).getShape(), "output " + i);
        }
        return out;
    }

    private static void assertOutputs(NDList out, int batch, int leaves, int... attentionSides) {
        assertEquals(new Shape(batch, leaves), out.get(0).getShape());
        assertEquals(1 + attentionSides.length, out.size());
        for (int i = 0; i < attentionSides.length; i++) {
            int s = attentionSides[i];
            assertEquals(new Shape(batch, 1, s, s), out.get(i + 1).getShape(), "attention map " + (i + 1));
            // a sigmoid: within [0,1] (float32 rounds saturated values to exactly 0 or 1)
            assertTrue(out.get(i + 1).gte(0).all().getBoolean() && out.get(i + 1).lte(1).all().getBoolean());
        }
    }

    @Test
    void defaultCbamNetworkGivesLogitsAndOneAttentionMapPerResidualBlock() {
        Engine.getInstance().setRandomSeed(11);
        ClassifierConfig config = ClassifierConfig.defaults(10);
        // 128 px: stem conv /2 and max pool /2 → 32, then stages at 32, 16, 8, 4 with two blocks each
        assertArrayEquals(new int[] {32, 32, 16, 16, 8, 8, 4, 4}, config.attentionSizes());
        NDList out = forward(config, 2, false);
        assertOutputs(out, 2, 10, 32, 32, 16, 16, 8, 8, 4, 4);
        out.get(0).getManager().close();
    }

    @Test
    void quickNetworkAndCustomStagesFollowTheConfig() {
        Engine.getInstance().setRandomSeed(12);
        NDList quick = forward(ClassifierConfig.quick(4), 3, true);
        assertOutputs(quick, 3, 4, 16, 8, 4, 2);
        quick.get(0).getManager().close();
        ClassifierConfig custom = new ClassifierConfig(32, 8, List.of(8, 16), List.of(1, 3), true, 0, 4, 5);
        NDList out = forward(custom, 1, false);
        assertOutputs(out, 1, 5, 8, 4, 4, 4);
        out.get(0).getManager().close();
    }

    @Test
    void withoutCbamOnlyTheLogitsComeBack() {
        Engine.getInstance().setRandomSeed(13);
        ClassifierConfig config = ClassifierConfig.quick(6).withCbam(false);
        assertEquals(0, config.attentionSizes().length);
        NDList out = forward(config, 2, false);
        assertOutputs(out, 2, 6);
        out.get(0).getManager().close();
    }

    @Test
    void cbamAddsParametersOnlyWhenOn() {
        try (NDManager m = NDManager.newBaseManager()) {
            Classifier with = Classifier.build(ClassifierConfig.quick(4));
            Classifier without = Classifier.build(ClassifierConfig.quick(4).withCbam(false));
            with.initialize(m, DataType.FLOAT32, with.inputShape(1));
            without.initialize(m, DataType.FLOAT32, without.inputShape(1));
            assertTrue(with.getParameters().keys().stream().anyMatch(k -> k.contains("cbam") && k.contains("spatial")),
                    with.getParameters().keys().toString());
            assertTrue(without.getParameters().keys().stream().noneMatch(k -> k.contains("cbam")));
        }
    }

    @Test
    void invalidConfigsAndInputsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClassifierConfig(100, 32, List.of(32, 64, 128, 256), List.of(2, 2, 2, 2), true, 0.3, 16, 10));
        assertTrue(e.getMessage().contains("multiple of 32"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ClassifierConfig(128, 32, List.of(32, 64), List.of(2), true, 0.3, 16, 10));
        assertThrows(IllegalArgumentException.class, () -> ClassifierConfig.defaults(1));
        assertThrows(IllegalArgumentException.class, () -> ClassifierConfig.defaults(10).withDropout(1.0));
        try (NDManager m = NDManager.newBaseManager()) {
            Classifier classifier = Classifier.build(ClassifierConfig.quick(4));
            classifier.initialize(m, DataType.FLOAT32, classifier.inputShape(1));
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> classifier.forward(
                    new ParameterStore(m, false), new NDList(m.zeros(new Shape(1, 3, 128, 128))), false));
            assertTrue(wrong.getMessage().contains("(N,3,64,64)"), wrong.getMessage());
        }
    }
}
