package org.lepistream.vision.segmentation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.lepistream.vision.data.ImageTensors;

/**
 * The butterfly segmenter: a small U-Net (contracting path of {@link DoubleConv}s and 2×2 max pools, expanding path
 * of {@link UpConv}s concatenated with the skip features).
 *
 * <p>Forward takes normalised images (N,3,S,S) and returns {@code NDList(maskLogits (N,1,S,S))}; the sigmoid of
 * the logits is the per-pixel butterfly probability.
 */
public final class Segmenter extends AbstractBlock {
    private final SegmenterConfig config;
    private final List<SequentialBlock> down = new ArrayList<>();
    private final List<SequentialBlock> up = new ArrayList<>();
    private final List<SequentialBlock> fuse = new ArrayList<>();
    private final Conv2d output;

    private Segmenter(SegmenterConfig config) {
        this.config = config;
        List<Integer> widths = config.widths();
        for (int level = 0; level < widths.size(); level++) {
            down.add(addChildBlock("down" + level, DoubleConv.of(widths.get(level))));
        }
        // Expanding path, bottom to top: up[i]/fuse[i] bring level i+1 back to level i.
        for (int level = widths.size() - 2; level >= 0; level--) {
            up.add(addChildBlock("up" + level, UpConv.of(widths.get(level))));
            fuse.add(addChildBlock("fuse" + level, DoubleConv.of(widths.get(level))));
        }
        this.output = addChildBlock("output", Conv2d.builder()
                .setKernelShape(new Shape(1, 1))
                .setFilters(1)
                .build());
    }

    /** Builds an uninitialised segmenter; initialise it with input shape (N,3,inputSize,inputSize). */
    public static Segmenter build(SegmenterConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("segmenter config is required");
        }
        return new Segmenter(config);
    }

    /** The configuration this network was built from. */
    public SegmenterConfig config() {
        return config;
    }

    /** The input shape for a batch of {@code batchSize} images. */
    public Shape inputShape(int batchSize) {
        return ImageTensors.imageBatchShape(batchSize, config.inputSize());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape());
        List<NDArray> skips = new ArrayList<>();
        for (int level = 0; level < down.size(); level++) {
            if (level > 0) {
                x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }
            x = down.get(level).forward(ps, new NDList(x), training).head();
            skips.add(x);
        }
        for (int i = 0; i < up.size(); i++) {
            NDArray skip = skips.get(skips.size() - 2 - i);
            x = up.get(i).forward(ps, new NDList(x), training).head();
            x = fuse.get(i).forward(ps, new NDList(x.concat(skip, 1)), training).head();
        }
        return output.forward(ps, new NDList(x), training);
    }

    private void checkInput(Shape s) {
        ImageTensors.requireImageBatch(s, config.inputSize(), "segmenter");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), 1, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkInput(inputShapes[0]);
        long n = inputShapes[0].get(0);
        int side = config.inputSize();
        List<Integer> widths = config.widths();
        Shape in = inputShapes[0];
        for (int level = 0; level < down.size(); level++) {
            int levelSide = side >> level;
            Shape levelIn = level == 0 ? in : new Shape(n, widths.get(level - 1), levelSide, levelSide);
            down.get(level).initialize(manager, dataType, levelIn);
        }
        for (int i = 0; i < up.size(); i++) {
            int from = widths.size() - 1 - i;
            int to = from - 1;
            int fromSide = side >> from;
            int toSide = side >> to;
            up.get(i).initialize(manager, dataType, new Shape(n, widths.get(from), fromSide, fromSide));
            fuse.get(i).initialize(manager, dataType, new Shape(n, 2L * widths.get(to), toSide, toSide));
        }
        output.initialize(manager, dataType, new Shape(n, widths.get(0), side, side));
    }
}
