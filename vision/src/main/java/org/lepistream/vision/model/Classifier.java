package org.lepistream.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lepistream.vision.data.ImageTensors;

/**
 * The species classifier: a (CBAM-)ResNet built from a {@link ClassifierConfig}.
 *
 * <p>Forward takes normalised images (N,3,S,S) and returns {@code NDList(leafLogits (N,leafCount), att_1 … att_L)}
 * with one spatial attention map (N,1,h_i,w_i) per residual block in forward order (sizes from
 * {@link ClassifierConfig#attentionSizes()}); without CBAM the list holds the logits only.
 */
public final class Classifier extends AbstractBlock {
    private final ClassifierConfig config;
    private final SequentialBlock stem;
    private final List<ResidualBlock> residuals = new ArrayList<>();
    private final SequentialBlock head;

    private Classifier(ClassifierConfig config) {
        this.config = config;
        this.stem = addChildBlock("stem", new SequentialBlock()
                .add(ResidualBlock.conv(config.stemWidth(), 3, 2))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                // The early max pool keeps the 2-core CPU budget: stages run at 1/4 … 1/32 of the input side.
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1))));
        int channels = config.stemWidth();
        for (int stage = 0; stage < config.widths().size(); stage++) {
            int width = config.widths().get(stage);
            for (int b = 0; b < config.blocks().get(stage); b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                boolean projection = stride != 1 || channels != width;
                residuals.add(addChildBlock("stage" + (stage + 1) + "_block" + (b + 1),
                        new ResidualBlock(width, stride, projection, config.cbam(), config.reduction())));
                channels = width;
            }
        }
        this.head = addChildBlock("head", new SequentialBlock()
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Dropout.builder().optRate((float) config.dropout()).build())
                .add(Linear.builder().setUnits(config.leafCount()).build()));
    }

    /** Builds an uninitialised classifier; initialise it with input shape (N,3,inputSize,inputSize). */
    public static Classifier build(ClassifierConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("classifier config is required");
        }
        return new Classifier(config);
    }

    /** The configuration this network was built from. */
    public ClassifierConfig config() {
        return config;
    }

    /** The input shape for a batch of {@code batchSize} images. */
    public Shape inputShape(int batchSize) {
        return ImageTensors.imageBatchShape(batchSize, config.inputSize());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return run(ps, inputs.singletonOrThrow(), training, false);
    }

    /**
     * Inference forward that also returns the last stage's feature map: {@code NDList(leafLogits, att_1 … att_L,
     * features (N,C,h,w))}, so that Grad-CAM costs no second pass.
     */
    public NDList forwardWithFeatures(ParameterStore ps, NDArray images) {
        return run(ps, images, false, true);
    }

    private NDList run(ParameterStore ps, NDArray images, boolean training, boolean withFeatures) {
        checkInput(images.getShape());
        NDArray x = stem.forward(ps, new NDList(images), training).head();
        NDList attention = new NDList();
        for (ResidualBlock block : residuals) {
            NDList out = block.forward(ps, new NDList(x), training);
            x = out.get(0);
            if (out.size() > 1) {
                attention.add(out.get(1));
            }
        }
        NDList result = new NDList(head.forward(ps, new NDList(x), training).head());
        result.addAll(attention);
        if (withFeatures) {
            result.add(x);
        }
        return result;
    }

    /**
     * The last residual stage's feature map (N,C,h,w) for images (N,3,S,S), i.e. what the head pools. Grad-CAM reads
     * it (see {@link org.lepistream.vision.attention.GradCam}).
     */
    public NDArray features(ParameterStore ps, NDArray images) {
        NDList out = forwardWithFeatures(ps, images);
        return out.get(out.size() - 1);
    }

    /** The final layer's weights (leafCount, C): how much each pooled feature channel votes for each species. */
    public NDArray leafWeights() {
        Linear fc = (Linear) head.getChildren().get(head.getChildren().size() - 1).getValue();
        return fc.getParameters().get("weight").getArray();
    }

    /** {@link #leafWeights()} copied out as rows, one per species (what Grad-CAM in Java reads). */
    public float[][] leafWeightRows() {
        NDArray weights = leafWeights();
        int leaves = Math.toIntExact(weights.getShape().get(0));
        int channels = Math.toIntExact(weights.getShape().get(1));
        float[] flat = weights.toFloatArray();
        float[][] rows = new float[leaves][];
        for (int c = 0; c < leaves; c++) {
            rows[c] = Arrays.copyOfRange(flat, c * channels, (c + 1) * channels);
        }
        return rows;
    }

    private void checkInput(Shape s) {
        ImageTensors.requireImageBatch(s, config.inputSize(), "classifier");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        int[] sizes = config.attentionSizes();
        Shape[] out = new Shape[1 + sizes.length];
        out[0] = new Shape(n, config.leafCount());
        for (int i = 0; i < sizes.length; i++) {
            out[i + 1] = new Shape(n, 1, sizes[i], sizes[i]);
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkInput(inputShapes[0]);
        Shape shape = inputShapes[0];
        stem.initialize(manager, dataType, shape);
        shape = stem.getOutputShapes(new Shape[] {shape})[0];
        for (ResidualBlock block : residuals) {
            block.initialize(manager, dataType, shape);
            shape = block.getOutputShapes(new Shape[] {shape})[0];
        }
        head.initialize(manager, dataType, shape);
    }
}
