package org.lepistream.vision.attention;

import org.lepistream.decision.analysis.AttentionMap;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;

class GradCamTest {

    @Test
    void equalsGradCamComputedWithAutogradOnTheFeatureMap() {
        Engine.getInstance().setRandomSeed(5);
        Classifier classifier = Classifier.build(new ClassifierConfig(32, 8, List.of(8, 16), List.of(1, 1), true, 0.3, 4, 5));
        try (NDManager m = NDManager.newBaseManager()) {
            classifier.initialize(m, DataType.FLOAT32, classifier.inputShape(3));
            NDArray images = m.randomNormal(classifier.inputShape(3));
            int[] classes = {0, 3, 4};
            List<AttentionMap> fast = GradCam.maps(classifier, m, images, classes);

            // Reference: the textbook recipe, gradients of the class logit with respect to the last feature map.
            NDArray a = classifier.features(new ParameterStore(m, false), images).stopGradient().duplicate();
            a.setRequiresGradient(true);
            NDArray bias = ((ai.djl.nn.core.Linear) lastLinear(classifier)).getParameters().get("bias").getArray();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = a.mean(new int[] {3}).mean(new int[] {2}).matMul(classifier.leafWeights().transpose()).add(bias);
                // The hand-written head must be the classifier's own head, or the reference proves nothing.
                NDArray own = classifier.forward(new ParameterStore(m, false), new NDList(images), false).head();
                assertTrue(own.allClose(logits, 1e-4, 1e-5, false), "head re-implementation differs");
                NDArray picked = logits.mul(m.create(classes).oneHot(5)).sum();
                collector.backward(picked);
            }
            NDArray alpha = a.getGradient().mean(new int[] {3}).mean(new int[] {2}); // (N,C)
            NDArray reference = a.mul(alpha.expandDims(2).expandDims(3)).sum(new int[] {1}).maximum(0f);
            for (int i = 0; i < 3; i++) {
                float[] want = reference.get(new NDIndex(i)).toFloatArray();
                float[] got = fast.get(i).values();
                assertEquals(want.length, got.length);
                assertEquals(a.getShape().get(2), fast.get(i).height());
                for (int k = 0; k < want.length; k++) {
                    assertEquals(want[k], got[k], 1e-5, "image " + i + " cell " + k);
                }
            }
            // Different classes give different maps (otherwise the class choice would be ignored).
            List<AttentionMap> other = GradCam.maps(classifier, m, images, new int[] {1, 1, 1});
            assertTrue(!java.util.Arrays.equals(other.get(1).values(), fast.get(1).values()));
        }
    }

    @Test
    void theReluCutsSomeCellsAndKeepsOthersAndTheRowsAreTheLayersWeights() {
        // Identifiers call fromFeatures with any engine's feature map and the head's weights as rows; the test
        // above checks its arithmetic against autograd through maps().
        Engine.getInstance().setRandomSeed(6);
        Classifier classifier = Classifier.build(new ClassifierConfig(32, 8, List.of(8, 16), List.of(1, 1), true, 0.3,
                4, 5));
        try (NDManager m = NDManager.newBaseManager()) {
            classifier.initialize(m, DataType.FLOAT32, classifier.inputShape(3));
            float[] flat = classifier.leafWeights().toFloatArray();
            float[][] rows = classifier.leafWeightRows();
            assertEquals(5, rows.length);
            int channels = rows[0].length;
            for (int c = 0; c < 5; c++) {
                assertArrayEquals(java.util.Arrays.copyOfRange(flat, c * channels, (c + 1) * channels), rows[c]);
            }
            List<AttentionMap> got = GradCam.maps(classifier, m, m.randomNormal(classifier.inputShape(3)),
                    new int[] {4, 0, 2});
            boolean someZero = false;
            boolean somePositive = false;
            for (AttentionMap map : got) {
                for (float v : map.values()) {
                    someZero |= v == 0f;
                    somePositive |= v > 0f;
                }
            }
            assertTrue(someZero && somePositive, "the ReLU must have cut some cells and kept others");
            assertThrows(IllegalArgumentException.class, () -> GradCam.fromFeatures(new float[7], channels, 2, 2, rows,
                    new int[] {4, 0, 2}));
        }
    }

    @Test
    void refusesAClassListOfTheWrongLength() {
        Classifier classifier = Classifier.build(new ClassifierConfig(32, 8, List.of(8, 16), List.of(1, 1), true, 0, 4, 5));
        try (NDManager m = NDManager.newBaseManager()) {
            classifier.initialize(m, DataType.FLOAT32, classifier.inputShape(2));
            NDArray images = m.randomNormal(classifier.inputShape(2));
            assertThrows(IllegalArgumentException.class, () -> GradCam.maps(classifier, m, images, new int[] {1}));
        }
    }

    private static ai.djl.nn.Block lastLinear(Classifier classifier) {
        ai.djl.nn.Block head = classifier.getChildren().get(classifier.getChildren().size() - 1).getValue();
        return head.getChildren().get(head.getChildren().size() - 1).getValue();
    }
}
