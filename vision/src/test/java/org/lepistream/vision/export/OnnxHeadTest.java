package org.lepistream.vision.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;

class OnnxHeadTest {

    @Test
    void readsBackTheHeadWeightsTheExportWrote() {
        Engine.getInstance().setRandomSeed(3);
        // CBAM on: its channel MLPs are Gemms too, before the head's.
        for (boolean cbam : new boolean[] {true, false}) {
            Classifier classifier = Classifier.build(new ClassifierConfig(32, 8, List.of(8, 16), List.of(1, 1), cbam,
                    0.2, 4, 7));
            try (NDManager m = NDManager.newBaseManager()) {
                classifier.initialize(m, DataType.FLOAT32, classifier.inputShape(2));
                float[] want = classifier.leafWeights().toFloatArray();
                float[][] got = OnnxHead.leafWeights(OnnxExport.classifier(classifier));
                assertEquals(7, got.length, "one row per species");
                int channels = want.length / 7;
                for (int c = 0; c < 7; c++) {
                    assertArrayEquals(Arrays.copyOfRange(want, c * channels, (c + 1) * channels), got[c],
                            "cbam " + cbam + " species " + c);
                }
            }
        }
    }

    @Test
    void refusesWhatIsNotAnExportedClassifier() {
        assertThrows(IllegalArgumentException.class, () -> OnnxHead.leafWeights(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> OnnxHead.leafWeights("not a model".getBytes()));
        // A truncated model: the length of the graph field points past the end.
        assertThrows(IllegalArgumentException.class, () -> OnnxHead.leafWeights(new byte[] {0x3a, 0x7f, 0x0a}));
    }
}
