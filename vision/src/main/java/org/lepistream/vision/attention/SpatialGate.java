package org.lepistream.vision.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * CBAM spatial attention: a 7×7 convolution over the channel-wise max and mean gives one score per position, and
 * its sigmoid is the attention map that rescales every channel there.
 *
 * <p>Input and first output (N,C,H,W); second output the attention map (N,1,H,W) in (0,1) — the map that the
 * guided-attention loss and the Over-CAM overlap read.
 */
public final class SpatialGate extends AbstractBlock {
    static final int KERNEL = 7;

    private final Conv2d conv;
    private final BatchNorm norm;

    /** A spatial gate with the paper's 7×7 kernel. */
    public SpatialGate() {
        // No bias: the batch norm right after it has its own shift.
        this.conv = addChildBlock("conv", Conv2d.builder()
                .setKernelShape(new Shape(KERNEL, KERNEL))
                .optPadding(new Shape(KERNEL / 2, KERNEL / 2))
                .setFilters(1)
                .optBias(false)
                .build());
        this.norm = addChildBlock("norm", BatchNorm.builder().build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray pooled = x.max(new int[] {1}, true).concat(x.mean(new int[] {1}, true), 1);
        NDArray score = conv.forward(ps, new NDList(pooled), training).head();
        score = norm.forward(ps, new NDList(score), training).head();
        NDArray map = Activation.sigmoid(score);
        return new NDList(x.mul(map), map);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {s, new Shape(s.get(0), 1, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("spatial gate needs (N,C,H,W) input, got " + s);
        }
        Shape pooled = new Shape(s.get(0), 2, s.get(2), s.get(3));
        conv.initialize(manager, dataType, pooled);
        norm.initialize(manager, dataType, conv.getOutputShapes(new Shape[] {pooled}));
    }
}
