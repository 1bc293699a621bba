package org.lepistream.vision.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmenterTest {

    @Test
    void outputsOneMaskLogitPerInputPixel() {
        Engine.getInstance().setRandomSeed(7);
        for (SegmenterConfig config : List.of(SegmenterConfig.quick(), new SegmenterConfig(32, List.of(4, 8, 16, 32)))) {
            try (NDManager m = NDManager.newBaseManager()) {
                Segmenter segmenter = Segmenter.build(config);
                Shape in = segmenter.inputShape(2);
                segmenter.initialize(m, DataType.FLOAT32, in);
                NDList out = segmenter.forward(new ParameterStore(m, false), new NDList(m.randomNormal(in)), true);
                assertEquals(1, out.size());
                int s = config.inputSize();
                assertEquals(new Shape(2, 1, s, s), out.head().getShape());
                assertEquals(out.head().getShape(), segmenter.getOutputShapes(new Shape[] {in})[0]);
            }
        }
    }

    @Test
    void wrongInputSizeOrConfigIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> new SegmenterConfig(62, List.of(8, 16, 32)));
        assertThrows(IllegalArgumentException.class, () -> new SegmenterConfig(64, List.of(8)));
        try (NDManager m = NDManager.newBaseManager()) {
            Segmenter segmenter = Segmenter.build(SegmenterConfig.quick());
            segmenter.initialize(m, DataType.FLOAT32, segmenter.inputShape(1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> segmenter.forward(
                    new ParameterStore(m, false), new NDList(m.zeros(new Shape(1, 3, 32, 32))), false));
            assertEquals(true, e.getMessage().contains("(N,3,64,64)"), e.getMessage());
        }
    }
}
