package org.lepistream.vision.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * CBAM channel attention: one shared MLP scores each channel from its average- and max-pooled response, and the
 * sigmoid of the summed scores rescales the channels.
 *
 * <p>Input and first output (N,C,H,W); second output the channel weights (N,C,1,1).
 */
public final class ChannelGate extends AbstractBlock {
    private final int channels;
    private final SequentialBlock mlp;

    /**
     * @param channels number of feature channels C
     * @param reduction the MLP's bottleneck ratio r (hidden width max(1, C/r))
     */
    public ChannelGate(int channels, int reduction) {
        if (channels < 1 || reduction < 1) {
            throw new IllegalArgumentException(
                    "channel gate needs channels ≥ 1 and reduction ≥ 1, got " + channels + ", " + reduction);
        }
        this.channels = channels;
        this.mlp = addChildBlock("mlp", new SequentialBlock()
                .add(Linear.builder().setUnits(Math.max(1, channels / reduction)).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(channels).build()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        // PyTorch reductions in DJL take one axis, so pool over the flattened spatial axis.
        NDArray flat = x.reshape(s.get(0), s.get(1), -1);
        NDArray avg = flat.mean(new int[] {2});
        NDArray max = flat.max(new int[] {2});
        // The MLP is shared: the same weights score both descriptors, so one pass over the two stacked (2N,C) costs
        // half the operations of two passes (a step's time on a small CPU goes as much to op count as to FLOPs).
        long n = s.get(0);
        NDArray both = mlp.forward(ps, new NDList(avg.concat(max, 0)), training).head();
        NDArray scores = both.get("0:" + n).add(both.get(n + ":"));
        NDArray weights = Activation.sigmoid(scores).reshape(s.get(0), s.get(1), 1, 1);
        return new NDList(x.mul(weights), weights);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {s, new Shape(s.get(0), s.get(1), 1, 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException("channel gate for " + channels + " channels got input " + s);
        }
        mlp.initialize(manager, dataType, new Shape(s.get(0), channels));
    }
}
