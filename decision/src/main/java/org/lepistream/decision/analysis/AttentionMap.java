package org.lepistream.decision.analysis;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One spatial attention map (row-major, {@code height × width}, values in [0,1]) taken out of the network, and
 * the measure the service routes on: how much of the attention falls on the butterfly.
 */
public record AttentionMap(int height, int width, float[] values) {

    public AttentionMap {
        if (height < 1 || width < 1 || values == null || values.length != height * width) {
            throw new IllegalArgumentException("attention map " + height + "×" + width + " needs "
                    + (long) height * width + " values, got " + (values == null ? "none" : values.length));
        }
    }

    /**
     * Share of this map's attention mass on the mask: Σ M·S / Σ M, where S is the mask max-pooled to this map's
     * size (a cell counts as butterfly if any pixel under it is). It is exactly 1 − the guided-attention loss of
     * the same map and mask, so training and routing speak of the same quantity.
     *
     * @param mask row-major mask values in [0,1] (probabilities or {0,1}), at least as large as this map
     */
    public double fractionInside(float[] mask, int maskHeight, int maskWidth) {
        float[] pooled = maxPool(mask, maskHeight, maskWidth, height, width);
        double mass = 0;
        double inside = 0;
        for (int i = 0; i < values.length; i++) {
            mass += values[i];
            inside += values[i] * pooled[i];
        }
        // A sigmoid map never sums to 0; a hand-made all-zero map has no attention anywhere, so none inside.
        return mass > 0 ? inside / mass : 0;
    }

    /** Mean of {@link #fractionInside} over levels; empty when there are no maps (a network without CBAM). */
    public static OptionalDouble meanFractionInside(List<AttentionMap> maps, float[] mask, int maskHeight,
            int maskWidth) {
        if (maps.isEmpty()) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        for (AttentionMap map : maps) {
            sum += map.fractionInside(mask, maskHeight, maskWidth);
        }
        return OptionalDouble.of(sum / maps.size());
    }

    /**
     * Adaptive max pooling of a row-major mask to {@code h × w}: output cell i covers input rows
     * ⌊i·H/h⌋ … ⌈(i+1)·H/h⌉−1 (the same cells as plain max pooling when H is a multiple of h).
     */
    public static float[] maxPool(float[] mask, int maskHeight, int maskWidth, int h, int w) {
        if (mask == null || mask.length != maskHeight * maskWidth) {
            throw new IllegalArgumentException("mask " + maskHeight + "×" + maskWidth + " needs "
                    + (long) maskHeight * maskWidth + " values, got " + (mask == null ? "none" : mask.length));
        }
        if (maskHeight < h || maskWidth < w) {
            throw new IllegalArgumentException(
                    "mask " + maskHeight + "×" + maskWidth + " is smaller than the attention map " + h + "×" + w);
        }
        float[] out = new float[h * w];
        Arrays.fill(out, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < h; i++) {
            int y0 = i * maskHeight / h;
            int y1 = ceilDiv((i + 1) * maskHeight, h);
            for (int j = 0; j < w; j++) {
                int x0 = j * maskWidth / w;
                int x1 = ceilDiv((j + 1) * maskWidth, w);
                float best = Float.NEGATIVE_INFINITY;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        best = Math.max(best, mask[y * maskWidth + x]);
                    }
                }
                out[i * w + j] = best;
            }
        }
        return out;
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionMap other && height == other.height && width == other.width
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "AttentionMap[" + height + "×" + width + "]";
    }
}
