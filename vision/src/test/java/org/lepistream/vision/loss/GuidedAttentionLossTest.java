package org.lepistream.vision.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.lepistream.decision.analysis.AttentionMap;

/**
 * Mask S (4×4) with butterfly pixels at the corners (0,0) and (3,3):
 *
 * <pre>
 * 1 0 0 0
 * 0 0 0 0      max-pooled to 2×2:  1 0      to 1×1:  1
 * 0 0 0 0                          0 1
 * 0 0 0 1
 * </pre>
 */
class GuidedAttentionLossTest {
    private static final float[] MASK = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final float[] LEVEL_2X2 = {0.4f, 0.2f, 0.3f, 0.1f};
    private final GuidedAttentionLoss guided = new GuidedAttentionLoss();

    private static NDList levels(NDManager m, int n) {
        float[] small = new float[4 * n];
        float[] full = new float[16 * n];
        float[] tiny = new float[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(LEVEL_2X2, 0, small, 4 * i, 4);
            java.util.Arrays.fill(full, 16 * i, 16 * i + 16, 0.5f);
            tiny[i] = 0.7f;
        }
        return new NDList(m.create(small, new Shape(n, 1, 2, 2)), m.create(full, new Shape(n, 1, 4, 4)),
                m.create(tiny, new Shape(n, 1, 1, 1)));
    }

    // Per level for the mask above:
    //   2×2 map (0.4 0.2 / 0.3 0.1): Σ M = 1.0, outside the pooled mask 0.2 + 0.3 = 0.5   → 0.5
    //   4×4 map of 0.5:              Σ M = 8,   outside 14 cells · 0.5 = 7               → 0.875
    //   1×1 map:                     the pooled mask is 1 everywhere                     → 0
    // mean over levels: (0.5 + 0.875 + 0) / 3 = 0.458333
    private static final double IMAGE_WITH_CORNERS = (0.5 + 0.875 + 0) / 3;

    @Test
    void poolsTheMaskToEachLevelAndAveragesLevels() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray masks = m.create(MASK, new Shape(1, 1, 4, 4));
            assertEquals(IMAGE_WITH_CORNERS, guided.compute(levels(m, 1), masks).getFloat(), 1e-6);
            // (N,H,W) masks are accepted too
            assertEquals(IMAGE_WITH_CORNERS, guided.compute(levels(m, 1), m.create(MASK, new Shape(1, 4, 4)))
                    .getFloat(), 1e-6);
        }
    }

    @Test
    void averagesOverTheBatchWithWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] two = new float[32];
            System.arraycopy(MASK, 0, two, 0, 16); // image 2: empty mask, so all attention is outside: loss 1
            NDArray masks = m.create(two, new Shape(2, 1, 4, 4));
            // (0.458333 + 1) / 2 = 0.729167
            assertEquals((IMAGE_WITH_CORNERS + 1) / 2, guided.compute(levels(m, 2), masks).getFloat(), 1e-6);
            // weight 0 drops image 2 (e.g. it has no mask): 0.458333
            assertEquals(IMAGE_WITH_CORNERS,
                    guided.compute(levels(m, 2), masks, m.create(new float[] {1, 0})).getFloat(), 1e-6);
        }
    }

    @Test
    void isOneMinusTheAttentionInMaskMeasure() {
        double inside = (new AttentionMap(2, 2, LEVEL_2X2).fractionInside(MASK, 4, 4)
                + new AttentionMap(4, 4, filled(16, 0.5f)).fractionInside(MASK, 4, 4)
                + new AttentionMap(1, 1, new float[] {0.7f}).fractionInside(MASK, 4, 4)) / 3;
        assertEquals(1 - IMAGE_WITH_CORNERS, inside, 1e-6);
    }

    @Test
    void rejectsMapsThatDoNotTileTheMask() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList maps = new NDList(m.ones(new Shape(1, 1, 3, 3)));
            NDArray masks = m.create(MASK, new Shape(1, 1, 4, 4));
            assertThrows(IllegalArgumentException.class, () -> guided.compute(maps, masks));
            assertThrows(IllegalArgumentException.class, () -> guided.compute(new NDList(), masks));
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
