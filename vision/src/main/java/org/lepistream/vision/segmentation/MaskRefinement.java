package org.lepistream.vision.segmentation;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Cleans a predicted butterfly mask with what we know of the subject: a photographed butterfly is one solid shape.
 * The U-Net at 64 px leaves speckles on flowers and leaves, and holes where a wing has the background's colour;
 * dropping the small blobs and filling enclosed holes removes both without retraining.
 */
public final class MaskRefinement {
    /** Blobs smaller than this share of the largest are dropped (wings split by a thin body stay together). */
    static final double MIN_BLOB_SHARE = 0.2;

    private MaskRefinement() {
    }

    /**
     * The refined mask of a {@code size × size} probability map: pixels of dropped blobs become 0, pixels of
     * filled holes 1, the rest keep their probability. An empty mask stays empty.
     */
    public static float[] refine(float[] probability, int size) {
        if (probability.length != size * size) {
            throw new IllegalArgumentException(
                    "mask has " + probability.length + " values, expected " + size + "×" + size);
        }
        int[] blob = new int[probability.length];
        int[] blobSizes = label(probability, size, true, blob);
        int largest = Arrays.stream(blobSizes).max().orElse(0);
        float[] out = probability.clone();
        if (largest == 0) {
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            if (blob[i] > 0 && blobSizes[blob[i] - 1] < MIN_BLOB_SHARE * largest) {
                out[i] = 0f;
            }
        }
        // Holes: background regions (4-connected, so a diagonal gap in the outline does not leak) that never touch
        // the border are enclosed by the butterfly.
        int[] background = new int[out.length];
        int[] backgroundSizes = label(out, size, false, background);
        boolean[] touchesBorder = new boolean[backgroundSizes.length];
        for (int i = 0; i < size; i++) {
            for (int edge : new int[] {i, (size - 1) * size + i, i * size, i * size + size - 1}) {
                if (background[edge] > 0) {
                    touchesBorder[background[edge] - 1] = true;
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (background[i] > 0 && !touchesBorder[background[i] - 1]) {
                out[i] = 1f;
            }
        }
        return out;
    }

    /**
     * Labels the connected regions of foreground ({@code p > 0.5}, 8-connected) or background (4-connected) pixels:
     * {@code labels[i]} is the 1-based region of pixel i or 0 when it is not of the wanted kind.
     *
     * @return the size of each region, index = label − 1
     */
    private static int[] label(float[] p, int size, boolean foreground, int[] labels) {
        int[] sizes = new int[16];
        int count = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        int reach = foreground ? 1 : 0;
        for (int start = 0; start < p.length; start++) {
            if (labels[start] != 0 || (p[start] > 0.5f) != foreground) {
                continue;
            }
            if (count == sizes.length) {
                sizes = Arrays.copyOf(sizes, count * 2);
            }
            int id = ++count;
            labels[start] = id;
            queue.add(start);
            while (!queue.isEmpty()) {
                int at = queue.poll();
                sizes[id - 1]++;
                int y = at / size;
                int x = at % size;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        boolean diagonal = dx != 0 && dy != 0;
                        if ((dx == 0 && dy == 0) || (diagonal && reach == 0)) {
                            continue;
                        }
                        int ny = y + dy;
                        int nx = x + dx;
                        if (ny < 0 || nx < 0 || ny >= size || nx >= size) {
                            continue;
                        }
                        int next = ny * size + nx;
                        if (labels[next] == 0 && (p[next] > 0.5f) == foreground) {
                            labels[next] = id;
                            queue.add(next);
                        }
                    }
                }
            }
        }
        return Arrays.copyOf(sizes, count);
    }
}
