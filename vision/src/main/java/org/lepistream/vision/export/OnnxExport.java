package org.lepistream.vision.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.lepistream.vision.attention.Cbam;
import org.lepistream.vision.attention.ChannelGate;
import org.lepistream.vision.attention.SpatialGate;
import org.lepistream.vision.export.OnnxGraph.Attribute;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.model.ResidualBlock;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;

/**
 * Writes a trained classifier or segmenter as an ONNX model (opset 17) that computes exactly what its DJL forward pass
 * computes in inference mode, so ONNX Runtime or TensorRT can serve the same bundle.
 *
 * <p>DJL's PyTorch engine cannot export ONNX, so the graph is rebuilt from the block tree: weights come from the
 * blocks' parameters; the structure follows each block's forward code. Parameter-free lambdas (ReLU, pooling, the
 * U-Net's upsampling) hide their settings, so those few are spelled out here and named in the error when the tree
 * no longer matches. The equivalence tests ({@code OnnxEquivalenceTest}) are what keeps the two in step.
 *
 * <p>Inputs: {@value #INPUT} (N,3,S,S), normalised as the bundle's preprocessing says. Classifier outputs:
 * {@value #LOGITS} (N,leaves), {@value #ATTENTION_PREFIX}1 … (N,1,h,w), one per residual block in forward order,
 * then {@value #FEATURES} (N,C,h,w), the last stage's feature map (for Grad-CAM without a second pass);
 * segmenter output: {@value #MASK_LOGITS} (N,1,S,S). Sigmoid/softmax stay outside, as with the DJL blocks.
 */
public final class OnnxExport {
    public static final String CLASSIFIER_FILE = "classifier.onnx";
    public static final String SEGMENTER_FILE = "segmenter.onnx";
    public static final String INPUT = "images";
    public static final String LOGITS = "logits";
    public static final String ATTENTION_PREFIX = "attention_";
    public static final String MASK_LOGITS = "mask_logits";
    /** The last residual stage's feature map (N,C,h,w), what the head pools: the input of Grad-CAM. */
    public static final String FEATURES = "features";

    /** DJL's BatchNorm builder default, which every batch norm here uses (the block does not expose it). */
    private static final float BATCH_NORM_EPSILON = 1e-5f;
    /** The stem's max pool: 3×3, stride 2, padding 1 (Classifier's constructor). */
    private static final long[] STEM_POOL = {3, 2, 1};

    private final OnnxGraph graph;
    private final Map<Parameter, String> weights = new IdentityHashMap<>();

    private OnnxExport(String name) {
        this.graph = new OnnxGraph(name);
    }

    /** The classifier as ONNX bytes. */
    public static byte[] classifier(Classifier classifier) {
        requireInitialised(classifier, "classifier");
        ClassifierConfig config = classifier.config();
        OnnxExport e = new OnnxExport("lepistream-classifier");
        int size = config.inputSize();
        e.graph.input(INPUT, OnnxGraph.BATCH, 3, size, size);
        List<Block> children = new ArrayList<>(classifier.getChildren().values());
        String x = e.sequence(children.get(0), INPUT, "classifier stem", e::stemPool);
        List<String> attention = new ArrayList<>();
        for (Block child : children.subList(1, children.size() - 1)) {
            if (!(child instanceof ResidualBlock block)) {
                throw mismatch("classifier", "a residual block", child);
            }
            String[] out = e.residual(block, x);
            x = out[0];
            if (out[1] != null) {
                attention.add(out[1]);
            }
        }
        e.graph.nodeWithOutput("Identity", List.of(x), FEATURES);
        String logits = e.sequence(children.get(children.size() - 1), x, "classifier head", null);
        e.graph.nodeWithOutput("Identity", List.of(logits), LOGITS);
        e.graph.output(LOGITS, OnnxGraph.BATCH, config.leafCount());
        int[] sides = config.attentionSizes();
        if (sides.length != attention.size()) {
            throw new IllegalStateException("classifier config expects " + sides.length + " attention maps, the"
                    + " network has " + attention.size());
        }
        for (int i = 0; i < sides.length; i++) {
            String name = ATTENTION_PREFIX + (i + 1);
            e.graph.nodeWithOutput("Identity", List.of(attention.get(i)), name);
            e.graph.output(name, OnnxGraph.BATCH, 1, sides[i], sides[i]);
        }
        int side = config.inputSize() / config.totalStride();
        e.graph.output(FEATURES, OnnxGraph.BATCH, config.widths().get(config.widths().size() - 1), side, side);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("lepistream.network", "classifier");
        meta.put("lepistream.config", config.toString());
        return e.graph.toModel("lepistream", "0.1", meta);
    }

    /** The segmenter as ONNX bytes. */
    public static byte[] segmenter(Segmenter segmenter) {
        requireInitialised(segmenter, "segmenter");
        SegmenterConfig config = segmenter.config();
        OnnxExport e = new OnnxExport("lepistream-segmenter");
        int size = config.inputSize();
        e.graph.input(INPUT, OnnxGraph.BATCH, 3, size, size);
        List<Block> children = new ArrayList<>(segmenter.getChildren().values());
        int levels = config.widths().size();
        if (children.size() != levels + 2 * (levels - 1) + 1) {
            throw new IllegalStateException("segmenter with " + levels + " levels has " + children.size()
                    + " child blocks; the ONNX export expects " + (3 * levels - 1));
        }
        String x = INPUT;
        List<String> skips = new ArrayList<>();
        for (int level = 0; level < levels; level++) {
            if (level > 0) {
                x = e.maxPool(x, 2, 2, 0);
            }
            x = e.sequence(children.get(level), x, "segmenter down" + level, null);
            skips.add(x);
        }
        for (int i = 0; i < levels - 1; i++) {
            Block up = children.get(levels + 2 * i);
            Block fuse = children.get(levels + 2 * i + 1);
            x = e.sequence(up, x, "segmenter up" + i, e::upsample);
            x = e.graph.node("Concat", List.of(x, skips.get(skips.size() - 2 - i)), Attribute.integer("axis", 1));
            x = e.sequence(fuse, x, "segmenter fuse" + i, null);
        }
        Block output = children.get(children.size() - 1);
        if (!(output instanceof Conv2d conv)) {
            throw mismatch("segmenter output", "a 1×1 convolution", output);
        }
        e.graph.nodeWithOutput("Identity", List.of(e.conv(conv, x)), MASK_LOGITS);
        e.graph.output(MASK_LOGITS, OnnxGraph.BATCH, 1, size, size);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("lepistream.network", "segmenter");
        meta.put("lepistream.config", config.toString());
        return e.graph.toModel("lepistream", "0.1", meta);
    }

    /** A SequentialBlock of conv / batch norm / ReLU / pooling / flatten / dropout / linear, in order. */
    private String sequence(Block block, String x, String where, UnaryOperator<String> opaque) {
        if (!(block instanceof SequentialBlock)) {
            throw mismatch(where, "a sequential block", block);
        }
        String value = x;
        for (Block child : block.getChildren().values()) {
            value = layer(child, value, where, opaque);
        }
        return value;
    }

    private String layer(Block child, String x, String where, UnaryOperator<String> opaque) {
        if (child instanceof Conv2d conv) {
            return conv(conv, x);
        }
        if (child instanceof BatchNorm norm) {
            return batchNorm(norm, x);
        }
        if (child instanceof Linear linear) {
            return gemm(linear, x);
        }
        if (child instanceof Dropout) {
            return x; // inference: dropout is the identity
        }
        if (child instanceof SequentialBlock) {
            return sequence(child, x, where, opaque);
        }
        if (child instanceof LambdaBlock lambda) {
            switch (lambda.getName()) {
                case "ReLU":
                    return graph.node("Relu", List.of(x));
                case "globalAvgPool2d":
                    return graph.node("GlobalAveragePool", List.of(x));
                case "batchFlatten":
                    return graph.node("Flatten", List.of(x), Attribute.integer("axis", 1));
                default:
                    if (opaque != null) {
                        return opaque.apply(x);
                    }
            }
        }
        throw mismatch(where, "conv, batch norm, ReLU, pooling, flatten, dropout or linear", child);
    }

    private String stemPool(String x) {
        return maxPool(x, STEM_POOL[0], STEM_POOL[1], STEM_POOL[2]);
    }

    private String maxPool(String x, long kernel, long stride, long pad) {
        return graph.node("MaxPool", List.of(x), Attribute.ints("kernel_shape", kernel, kernel),
                Attribute.ints("strides", stride, stride), Attribute.ints("pads", pad, pad, pad, pad));
    }

    /** UpConv's lambda: repeat every pixel twice along H and W, which is exactly nearest 2× with floor rounding. */
    private String upsample(String x) {
        return graph.node("Resize", List.of(x, "", graph.floats("scales", 1f, 1f, 2f, 2f)),
                Attribute.text("mode", "nearest"), Attribute.text("coordinate_transformation_mode", "asymmetric"),
                Attribute.text("nearest_mode", "floor"));
    }

    private String[] residual(ResidualBlock block, String x) {
        Block body = null;
        Block shortcut = null;
        Cbam cbam = null;
        for (var entry : block.getChildren()) {
            String name = entry.getKey();
            if (name.endsWith("body")) {
                body = entry.getValue();
            } else if (name.endsWith("shortcut")) {
                shortcut = entry.getValue();
            } else if (name.endsWith("cbam") && entry.getValue() instanceof Cbam c) {
                cbam = c;
            } else {
                throw mismatch("residual block", "body, shortcut or cbam", entry.getValue());
            }
        }
        if (body == null) {
            throw mismatch("residual block", "a body", block);
        }
        String out = sequence(body, x, "residual body", null);
        String attention = null;
        if (cbam != null) {
            String[] refined = cbam(cbam, out);
            out = refined[0];
            attention = refined[1];
        }
        String identity = shortcut == null ? x : sequence(shortcut, x, "residual shortcut", null);
        String sum = graph.node("Add", List.of(out, identity));
        return new String[] {graph.node("Relu", List.of(sum)), attention};
    }

    private String[] cbam(Cbam cbam, String x) {
        List<Block> parts = new ArrayList<>(cbam.getChildren().values());
        if (parts.size() != 2 || !(parts.get(0) instanceof ChannelGate channel)
                || !(parts.get(1) instanceof SpatialGate spatial)) {
            throw new IllegalStateException("CBAM block no longer holds a channel gate then a spatial gate: "
                    + cbam.getChildren().keys());
        }
        return spatialGate(spatial, channelGate(channel, x));
    }

    /** ChannelGate: sigmoid(mlp(avg) + mlp(max)) per channel, the MLP's weights shared by both descriptors. */
    private String channelGate(ChannelGate gate, String x) {
        Block mlp = gate.getChildren().values().get(0);
        String avg = graph.node("Flatten", List.of(graph.node("GlobalAveragePool", List.of(x))),
                Attribute.integer("axis", 1));
        String max = graph.node("Flatten", List.of(graph.node("GlobalMaxPool", List.of(x))),
                Attribute.integer("axis", 1));
        String scores = graph.node("Add", List.of(sequence(mlp, avg, "channel gate MLP", null),
                sequence(mlp, max, "channel gate MLP", null)));
        String weights = graph.node("Reshape", List.of(graph.node("Sigmoid", List.of(scores)),
                graph.int64s("channel_shape", 0, -1, 1, 1)));
        return graph.node("Mul", List.of(x, weights));
    }

    /** SpatialGate: sigmoid(bn(conv7×7([max_c, mean_c]))) is the map; the features are scaled by it. */
    private String[] spatialGate(SpatialGate gate, String x) {
        List<Block> parts = new ArrayList<>(gate.getChildren().values());
        if (parts.size() != 2 || !(parts.get(0) instanceof Conv2d conv) || !(parts.get(1) instanceof BatchNorm norm)) {
            throw new IllegalStateException("spatial gate no longer holds a conv then a batch norm: "
                    + gate.getChildren().keys());
        }
        String max = graph.node("ReduceMax", List.of(x), Attribute.ints("axes", 1), Attribute.integer("keepdims", 1));
        String mean = graph.node("ReduceMean", List.of(x), Attribute.ints("axes", 1),
                Attribute.integer("keepdims", 1));
        String pooled = graph.node("Concat", List.of(max, mean), Attribute.integer("axis", 1));
        String map = graph.node("Sigmoid", List.of(batchNorm(norm, conv(conv, pooled))));
        return new String[] {graph.node("Mul", List.of(x, map)), map};
    }

    private String conv(Conv2d conv, String x) {
        List<String> in = new ArrayList<>(List.of(x, weight(conv, "weight")));
        if (conv.isIncludeBias()) {
            in.add(weight(conv, "bias"));
        }
        long[] k = conv.getKernelShape().getShape();
        long[] s = conv.getStride().getShape();
        long[] p = conv.getPadding().getShape();
        long[] d = conv.getDilation().getShape();
        return graph.node("Conv", in, Attribute.ints("kernel_shape", k), Attribute.ints("strides", s),
                Attribute.ints("pads", p[0], p[1], p[0], p[1]), Attribute.ints("dilations", d),
                Attribute.integer("group", conv.getGroups()));
    }

    private String batchNorm(BatchNorm norm, String x) {
        return graph.node("BatchNormalization", List.of(x, weight(norm, "gamma"), weight(norm, "beta"),
                weight(norm, "runningMean"), weight(norm, "runningVar")), Attribute.real("epsilon", BATCH_NORM_EPSILON));
    }

    /** DJL's Linear stores its weight as (out, in): y = x·Wᵀ + b. */
    private String gemm(Linear linear, String x) {
        return graph.node("Gemm", List.of(x, weight(linear, "weight"), weight(linear, "bias")),
                Attribute.integer("transB", 1));
    }

    /** One initializer per parameter, however often the graph uses it (the channel MLP runs twice). */
    private String weight(Block block, String name) {
        Parameter parameter = block.getDirectParameters().get(name);
        if (parameter == null || !parameter.isInitialized()) {
            throw new IllegalStateException(block.getClass().getSimpleName() + " has no initialised " + name);
        }
        return weights.computeIfAbsent(parameter, p -> {
            NDArray array = p.getArray();
            return graph.weight(name, array.getShape().getShape(), array.toFloatArray());
        });
    }

    private static void requireInitialised(Block block, String what) {
        if (block == null || !block.isInitialized()) {
            throw new IllegalArgumentException("only an initialised (trained) " + what + " can be exported");
        }
    }

    private static IllegalStateException mismatch(String where, String expected, Block found) {
        String name = found instanceof LambdaBlock l ? "lambda '" + l.getName() + "'"
                : found == null ? "nothing" : found.getClass().getSimpleName();
        return new IllegalStateException("ONNX export: " + where + " should be " + expected + " but is " + name
                + "; the exporter must follow the network's change");
    }
}
