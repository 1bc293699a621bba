package org.lepistream.vision.segmentation;

import java.util.List;

/**
 * Shape of the butterfly segmenter (a small U-Net), stored in every model bundle.
 *
 * @param inputSize square input side in pixels; a multiple of 2^(levels−1)
 * @param widths channels per U-Net level, top (full resolution) to bottom
 */
public record SegmenterConfig(int inputSize, List<Integer> widths) {

    public SegmenterConfig {
        widths = widths == null ? null : List.copyOf(widths);
        if (widths == null || widths.size() < 2 || widths.stream().anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException(
                    "invalid segmenter config: widths must list ≥ 2 positive channel counts, got " + widths);
        }
        int stride = 1 << (widths.size() - 1);
        if (inputSize < stride || inputSize % stride != 0) {
            throw new IllegalArgumentException("invalid segmenter config: inputSize must be a positive multiple of "
                    + stride + " (" + widths.size() + " levels), got " + inputSize);
        }
    }

    /** Default: four levels at widths 16-32-64-128 on 128 px. */
    public static SegmenterConfig defaults() {
        return new SegmenterConfig(128, List.of(16, 32, 64, 128));
    }

    /** A small segmenter for smoke runs and tests: three levels at widths 8-16-32 on 64 px. */
    public static SegmenterConfig quick() {
        return new SegmenterConfig(64, List.of(8, 16, 32));
    }

    /** This config for a different input size. */
    public SegmenterConfig withInputSize(int size) {
        return new SegmenterConfig(size, widths);
    }
}
