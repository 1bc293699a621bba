package org.lepistream.vision.attention;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Convolutional Block Attention Module: channel attention, then spatial attention on the channel-refined features.
 *
 * <p>Forward returns {@code NDList(refinedFeatures (N,C,H,W), spatialAttention (N,1,H,W))}.
 */
public final class Cbam extends AbstractBlock {
    private final ChannelGate channel;
    private final SpatialGate spatial;

    /** CBAM for {@code channels} feature channels with channel-MLP reduction ratio {@code reduction}. */
    public Cbam(int channels, int reduction) {
        this.channel = addChildBlock("channel", new ChannelGate(channels, reduction));
        this.spatial = addChildBlock("spatial", new SpatialGate());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList afterChannel = channel.forward(ps, new NDList(inputs.singletonOrThrow()), training);
        NDList afterSpatial = spatial.forward(ps, new NDList(afterChannel.get(0)), training);
        return new NDList(afterSpatial.get(0), afterSpatial.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return spatial.getOutputShapes(new Shape[] {inputShapes[0]});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        channel.initialize(manager, dataType, inputShapes[0]);
        spatial.initialize(manager, dataType, inputShapes[0]);
    }
}
