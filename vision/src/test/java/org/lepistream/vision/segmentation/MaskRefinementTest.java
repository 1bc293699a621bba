package org.lepistream.vision.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MaskRefinementTest {

    /** Parses rows of '#' (0.9) and '.' (0.1) into a square probability map. */
    private static float[] mask(String... rows) {
        int n = rows.length;
        float[] m = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                m[y * n + x] = rows[y].charAt(x) == '#' ? 0.9f : 0.1f;
            }
        }
        return m;
    }

    private static String render(float[] m, int n) {
        StringBuilder sb = new StringBuilder();
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                sb.append(m[y * n + x] > 0.5f ? '#' : '.');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Test
    void dropsSpecklesAndFillsEnclosedHoles() {
        float[] in = mask(
                "#.......",
                "..#####.",
                "..#..##.",
                "..#####.",
                "........",
                "......#.",
                "........",
                "........");
        float[] out = MaskRefinement.refine(in, 8);
        assertEquals("""
                ........
                ..#####.
                ..#####.
                ..#####.
                ........
                ........
                ........
                ........
                """, render(out, 8));
        // Kept pixels keep their probability; filled holes become certain.
        assertEquals(0.9f, out[1 * 8 + 2]);
        assertEquals(1f, out[2 * 8 + 3]);
    }

    @Test
    void keepsASecondWingOfComparableSizeAndOpenBays() {
        float[] in = mask(
                "##....##",
                "##....##",
                "##....##",
                "........",
                "###.....",
                "#.#.....",
                "#.......",
                "........");
        // Both 6-pixel blobs stay; the 5-pixel hook (≥ 20% of the largest) stays and its open bay is not filled.
        assertEquals(render(in, 8), render(MaskRefinement.refine(in, 8), 8));
    }

    @Test
    void diagonalGapInTheOutlineStillEnclosesTheHole() {
        float[] in = mask(
                ".#..",
                "#.#.",
                ".#..",
                "....");
        float[] out = MaskRefinement.refine(in, 4);
        assertEquals(1f, out[1 * 4 + 1], "the centre is enclosed by an 8-connected ring");
    }

    @Test
    void emptyMaskStaysEmptyAndWrongSizeIsRefused() {
        float[] empty = new float[16];
        assertArrayEquals(empty, MaskRefinement.refine(empty, 4));
        assertThrows(IllegalArgumentException.class, () -> MaskRefinement.refine(new float[15], 4));
    }
}
