package org.lepistream.vision.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Shape of the species classifier, stored in every model bundle so a bundle rebuilds the exact network.
 *
 * <p>A ResNet of basic residual blocks: a stride-2 stem conv and a stride-2 max pool, then one stage per entry of
 * {@code widths}/{@code blocks} (the first at stride 1, later stages halve the resolution), global average pooling,
 * dropout and a linear layer over the leaves. With {@code cbam} every residual block carries a CBAM module.
 *
 * @param inputSize square input side in pixels; a multiple of {@link #totalStride()}
 * @param stemWidth channels of the stem convolution
 * @param widths channels per stage
 * @param blocks residual blocks per stage
 * @param cbam whether every residual block has CBAM (and so yields one spatial attention map)
 * @param dropout dropout rate before the linear layer, in [0,1)
 * @param reduction channel-attention MLP reduction ratio
 * @param leafCount number of leaves (species) the network scores
 */
public record ClassifierConfig(int inputSize, int stemWidth, List<Integer> widths, List<Integer> blocks, boolean cbam,
        double dropout, int reduction, int leafCount) {

    public ClassifierConfig {
        widths = widths == null ? null : List.copyOf(widths);
        blocks = blocks == null ? null : List.copyOf(blocks);
        List<String> problems = new ArrayList<>();
        if (widths == null || widths.isEmpty() || blocks == null || widths.size() != blocks.size()) {
            problems.add("widths and blocks must be non-empty lists of the same length, got " + widths + " and "
                    + blocks);
        } else {
            if (widths.stream().anyMatch(w -> w < 1)) {
                problems.add("widths must be ≥ 1, got " + widths);
            }
            if (blocks.stream().anyMatch(b -> b < 1)) {
                problems.add("blocks must be ≥ 1, got " + blocks);
            }
            int stride = 4 << (widths.size() - 1);
            if (inputSize < stride || inputSize % stride != 0) {
                problems.add("inputSize must be a positive multiple of " + stride + " (the total stride of "
                        + widths.size() + " stages), got " + inputSize);
            }
        }
        if (stemWidth < 1) {
            problems.add("stemWidth must be ≥ 1, got " + stemWidth);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            problems.add("dropout must be in [0,1), got " + dropout);
        }
        if (reduction < 1) {
            problems.add("reduction must be ≥ 1, got " + reduction);
        }
        if (leafCount < 2) {
            problems.add("leafCount must be ≥ 2, got " + leafCount);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid classifier config: " + String.join("; ", problems));
        }
    }

    /** The default: ResNet-18-like 2-2-2-2 at widths 32-64-128-256 on 128 px, with CBAM — sized for 2 CPU cores. */
    public static ClassifierConfig defaults(int leafCount) {
        return new ClassifierConfig(128, 32, List.of(32, 64, 128, 256), List.of(2, 2, 2, 2), true, 0.3, 16,
                leafCount);
    }

    /** A much smaller network for smoke runs and tests: one block per stage at widths 16-32-64-128 on 64 px. */
    public static ClassifierConfig quick(int leafCount) {
        return new ClassifierConfig(64, 16, List.of(16, 32, 64, 128), List.of(1, 1, 1, 1), true, 0.2, 8,
                leafCount);
    }

    /** This config with or without CBAM. */
    public ClassifierConfig withCbam(boolean on) {
        return new ClassifierConfig(inputSize, stemWidth, widths, blocks, on, dropout, reduction, leafCount);
    }

    /** This config for a different input size. */
    public ClassifierConfig withInputSize(int size) {
        return new ClassifierConfig(size, stemWidth, widths, blocks, cbam, dropout, reduction, leafCount);
    }

    /** This config for a different number of leaves. */
    public ClassifierConfig withLeafCount(int leaves) {
        return new ClassifierConfig(inputSize, stemWidth, widths, blocks, cbam, dropout, reduction, leaves);
    }

    /** This config with a different dropout rate. */
    public ClassifierConfig withDropout(double rate) {
        return new ClassifierConfig(inputSize, stemWidth, widths, blocks, cbam, rate, reduction, leafCount);
    }

    /** Input pixels per feature-map cell after the last stage. */
    public int totalStride() {
        return 4 << (widths.size() - 1);
    }

    /** Side of the attention map of every residual block in forward order; empty without CBAM. */
    public int[] attentionSizes() {
        if (!cbam) {
            return new int[0];
        }
        int[] sizes = new int[blocks.stream().mapToInt(Integer::intValue).sum()];
        int side = inputSize / 4;
        int k = 0;
        for (int stage = 0; stage < blocks.size(); stage++) {
            if (stage > 0) {
                side /= 2;
            }
            for (int b = 0; b < blocks.get(stage); b++) {
                sizes[k++] = side;
            }
        }
        return sizes;
    }
}
