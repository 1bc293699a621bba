package org.lepistream.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.lepistream.vision.attention.Cbam;

/**
 * A ResNet basic block (two 3×3 convolutions plus shortcut), optionally with CBAM on the residual branch before the
 * addition, as in the CBAM paper's ResNet integration.
 *
 * <p>Forward returns {@code NDList(out)} or, with CBAM, {@code NDList(out, spatialAttention (N,1,h,w))}.
 */
public final class ResidualBlock extends AbstractBlock {
    private final int width;
    private final int stride;
    private final SequentialBlock body;
    private final SequentialBlock shortcut;
    private final Cbam cbam;

    /**
     * @param width output channels
     * @param stride 1, or 2 to halve the resolution
     * @param projection whether the shortcut needs a 1×1 conv (channel count or resolution changes)
     * @param cbam whether to add CBAM (reduction ratio {@code reduction}); ignored reduction otherwise
     */
    public ResidualBlock(int width, int stride, boolean projection, boolean cbam, int reduction) {
        this.width = width;
        this.stride = stride;
        this.body = addChildBlock("body", new SequentialBlock()
                .add(conv(width, 3, stride))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(conv(width, 3, 1))
                .add(BatchNorm.builder().build()));
        this.shortcut = projection
                ? addChildBlock("shortcut", new SequentialBlock()
                        .add(conv(width, 1, stride))
                        .add(BatchNorm.builder().build()))
                : null;
        this.cbam = cbam ? addChildBlock("cbam", new Cbam(width, reduction)) : null;
    }

    /** A bias-free square convolution with "same" padding (a batch norm always follows it). */
    static Block conv(int filters, int kernel, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray out = body.forward(ps, new NDList(x), training).head();
        NDArray attention = null;
        if (cbam != null) {
            NDList refined = cbam.forward(ps, new NDList(out), training);
            out = refined.get(0);
            attention = refined.get(1);
        }
        NDArray identity = shortcut == null ? x : shortcut.forward(ps, new NDList(x), training).head();
        out = Activation.relu(out.add(identity));
        return attention == null ? new NDList(out) : new NDList(out, attention);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long h = (s.get(2) + stride - 1) / stride;
        long w = (s.get(3) + stride - 1) / stride;
        Shape out = new Shape(s.get(0), width, h, w);
        return cbam == null ? new Shape[] {out} : new Shape[] {out, new Shape(s.get(0), 1, h, w)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        body.initialize(manager, dataType, in);
        Shape out = body.getOutputShapes(new Shape[] {in})[0];
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, in);
        }
        if (cbam != null) {
            cbam.initialize(manager, dataType, out);
        }
    }
}
