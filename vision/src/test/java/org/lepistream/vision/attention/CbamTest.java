package org.lepistream.vision.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class CbamTest {

    private static NDList run(ai.djl.nn.Block block, NDManager m, NDArray x) {
        block.initialize(m, DataType.FLOAT32, x.getShape());
        return block.forward(new ParameterStore(m, false), new NDList(x), false);
    }

    @Test
    void channelGateScalesEachChannelByAWeightInZeroOne() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 16, 5, 5));
            NDList out = run(new ChannelGate(16, 4), m, x);
            assertEquals(x.getShape(), out.get(0).getShape());
            NDArray w = out.get(1);
            assertEquals(new Shape(2, 16, 1, 1), w.getShape());
            assertTrue(w.gt(0).all().getBoolean() && w.lt(1).all().getBoolean());
            // the output is the input times its channel weight
            assertTrue(out.get(0).allClose(x.mul(w), 1e-5, 1e-6, false));
        }
    }

    @Test
    void spatialGateGivesOneMapPerImageThatScalesEveryChannel() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 8, 6, 7));
            NDList out = run(new SpatialGate(), m, x);
            NDArray map = out.get(1);
            assertEquals(new Shape(2, 1, 6, 7), map.getShape());
            assertTrue(map.gt(0).all().getBoolean() && map.lt(1).all().getBoolean());
            assertTrue(out.get(0).allClose(x.mul(map), 1e-5, 1e-6, false));
        }
    }

    @Test
    void cbamReturnsRefinedFeaturesAndTheSpatialAttention() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(3, 32, 8, 8));
            Cbam cbam = new Cbam(32, 16);
            NDList out = run(cbam, m, x);
            assertEquals(2, out.size());
            assertEquals(x.getShape(), out.get(0).getShape());
            assertEquals(new Shape(3, 1, 8, 8), out.get(1).getShape());
            Shape[] declared = cbam.getOutputShapes(new Shape[] {x.getShape()});
            assertEquals(out.get(0).getShape(), declared[0]);
            assertEquals(out.get(1).getShape(), declared[1]);
        }
    }

    @Test
    void rejectsNonsenseSizes() {
        assertThrows(IllegalArgumentException.class, () -> new ChannelGate(0, 16));
        assertThrows(IllegalArgumentException.class, () -> new ChannelGate(16, 0));
    }
}
