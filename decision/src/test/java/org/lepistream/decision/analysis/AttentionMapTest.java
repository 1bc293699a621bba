package org.lepistream.decision.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AttentionMapTest {

    @Test
    void maxPoolsTheMaskToTheMapSize() {
        // 4×4 mask, one butterfly pixel at (1,2): it lies in 2×2 cell (0,1)
        float[] mask = new float[16];
        mask[1 * 4 + 2] = 1;
        assertArrayEquals(new float[] {0, 1, 0, 0}, AttentionMap.maxPool(mask, 4, 4, 2, 2));
    }

    @Test
    void adaptivePoolingCoversEveryPixelWhenSizesDoNotDivide() {
        // 5 columns into 2 cells: cell 0 covers columns 0..2, cell 1 columns 2..4 (column 2 in both)
        float[] row = {0, 0, 1, 0, 0};
        assertArrayEquals(new float[] {1, 1}, AttentionMap.maxPool(row, 1, 5, 1, 2));
        float[] right = {0, 0, 0, 0, 1};
        assertArrayEquals(new float[] {0, 1}, AttentionMap.maxPool(right, 1, 5, 1, 2));
    }

    @Test
    void fractionInsideIsTheAttentionMassOnTheMask() {
        // map 0.6 0.2 / 0.1 0.1 over a 2×2 mask 1 0 / 0 1: (0.6 + 0.1) / 1.0 = 0.7
        AttentionMap map = new AttentionMap(2, 2, new float[] {0.6f, 0.2f, 0.1f, 0.1f});
        assertEquals(0.7, map.fractionInside(new float[] {1, 0, 0, 1}, 2, 2), 1e-6);
        // the mean over two levels: (0.7 + 1.0) / 2 where the 1×1 level sees the mask everywhere
        AttentionMap coarse = new AttentionMap(1, 1, new float[] {0.3f});
        assertEquals(0.85, AttentionMap.meanFractionInside(List.of(map, coarse), new float[] {1, 0, 0, 1}, 2, 2)
                .getAsDouble(), 1e-6);
        assertTrue(AttentionMap.meanFractionInside(List.of(), new float[] {1}, 1, 1).isEmpty());
    }

    @Test
    void rejectsInconsistentSizes() {
        assertThrows(IllegalArgumentException.class, () -> new AttentionMap(2, 2, new float[3]));
        AttentionMap map = new AttentionMap(2, 2, new float[4]);
        assertThrows(IllegalArgumentException.class, () -> map.fractionInside(new float[5], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> map.fractionInside(new float[1], 1, 1));
    }
}
