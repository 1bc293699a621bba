package org.lepistream.vision.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void topKCountsOnlyKnownLabelsAndGivesNoCreditForTies() {
        double[][] p = {
                {0.7, 0.2, 0.1}, // true 0: top-1 hit
                {0.5, 0.3, 0.2}, // true 1: second -> top-3 hit only
                {0.2, 0.3, 0.5}, // true 0: third
                {1 / 3.0, 1 / 3.0, 1 / 3.0}, // true 2: tie -> ranked last
                {0.9, 0.05, 0.05}, // unknown label: skipped
        };
        int[] labels = {0, 1, 0, 2, -1};
        assertEquals(0.25, RankAccuracy.topK(p, labels, 1), 1e-12);
        assertEquals(0.5, RankAccuracy.topK(p, labels, 2), 1e-12);
        assertEquals(1.0, RankAccuracy.topK(p, labels, 3), 1e-12);
        assertEquals(4, RankAccuracy.counted(labels));
        assertTrue(Double.isNaN(RankAccuracy.topK(p, new int[] {-1, -1, -1, -1, -1}, 1)));
        assertThrows(IllegalArgumentException.class, () -> RankAccuracy.topK(p, new int[] {0}, 1));
    }

    @Test
    void mistakeSeverityAveragesDistancesOfMistakes() {
        // Toy distance: leaves 0,1 share a genus; 2 is another family; 3 another genus of leaf 0's family.
        int[][] d = {
                {0, 1, 3, 2},
                {1, 0, 3, 2},
                {3, 3, 0, 3},
                {2, 2, 3, 0},
        };
        int[] truth = {0, 0, 1, 2, 3, -1};
        int[] pred = {0, 1, 2, 2, 0, 2};
        MistakeSeverity s = MistakeSeverity.measure(truth, pred, 3, (a, b) -> d[a][b]);
        assertEquals(3, s.mistakes());
        assertEquals(5, s.counted());
        assertEquals((1 + 3 + 2) / 3.0, s.meanOverMistakes(), 1e-12);
        assertEquals((1 + 3 + 2) / 5.0, s.meanOverAll(), 1e-12);
        assertArrayEquals(new int[] {2, 1, 1, 1}, s.histogram());
    }

    @Test
    void eceMatchesHandComputation() {
        // Bin (0.8,0.8667]: conf 0.85, 0.85 both right -> |1-0.85| * 2/4
        // Bin (0.2667,0.3333]: conf 0.3 wrong, 0.3 right -> |0.5-0.3| * 2/4
        double[] conf = {0.85, 0.85, 0.3, 0.3};
        boolean[] ok = {true, true, false, true};
        assertEquals(0.15 * 0.5 + 0.2 * 0.5, CalibrationError.expected(conf, ok, 15), 1e-12);
        // A perfectly calibrated pair in one bin scores zero.
        assertEquals(0.0, CalibrationError.expected(new double[] {0.5, 0.5}, new boolean[] {true, false}, 15), 1e-12);
        // One bin: ECE is |accuracy - mean confidence|.
        assertEquals(Math.abs(0.75 - 0.575), CalibrationError.expected(conf, ok, 1), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> CalibrationError.expected(new double[] {1.2}, new boolean[] {true}, 15));
    }

    @Test
    void eceFromProbabilityRowsUsesEachRowsTopChoiceAndSkipsUnknownLabels() {
        // The hand-computed case above as rows: top-1 0.85 right twice, 0.3 wrong once and right once.
        double[][] rows = {{0.85, 0.15}, {0.15, 0.85}, {0.3, 0.25, 0.25, 0.2}, {0.3, 0.25, 0.25, 0.2}, {0.9, 0.1}};
        int[] labels = {0, 1, 1, 0, -1};
        assertEquals(0.15 * 0.5 + 0.2 * 0.5, CalibrationError.expected(rows, labels, 15), 1e-12);
    }

    @Test
    void iouOfOverlappingSquares() {
        float[] a = new float[16];
        float[] b = new float[16];
        // a: left half (8 pixels), b: top half (8 pixels) of a 4x4 image; overlap 4.
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                a[y * 4 + x] = x < 2 ? 0.9f : 0.1f;
                b[y * 4 + x] = y < 2 ? 1f : 0f;
            }
        }
        assertEquals(4.0 / 12.0, MaskOverlap.iou(a, b), 1e-12);
        assertEquals(1.0, MaskOverlap.iou(new float[4], new float[4]), 1e-12);
    }

    @Test
    void iouAtPhotoSizeSamplesTheSquareMaskOverAWidePhoto() {
        // An 8×4 hand mask whose left half is butterfly; the model's 2×2 grid says "left column".
        java.awt.image.BufferedImage hand = new java.awt.image.BufferedImage(8, 4,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                hand.setRGB(x, y, 0xffffff);
            }
        }
        assertEquals(1.0, MaskOverlap.iouAtPhotoSize(new float[] {1, 0, 1, 0}, 2, hand), 1e-12);
        assertEquals(0.0, MaskOverlap.iouAtPhotoSize(new float[] {0, 1, 0, 1}, 2, hand), 1e-12);
        // Everything predicted: the union is the whole photo, the intersection the left half.
        assertEquals(0.5, MaskOverlap.iouAtPhotoSize(new float[] {1, 1, 1, 1}, 2, hand), 1e-12);
        // Bilinear between cell centres (photo x = 2 and x = 6): 0.6 → 0.2 crosses 0.5 at x = 3, so pixel columns
        // 0–2 (centres 0.5, 1.5, 2.5) are butterfly and column 3 is not: IoU 3/4.
        double soft = MaskOverlap.iouAtPhotoSize(new float[] {0.6f, 0.2f, 0.6f, 0.2f}, 2, hand);
        assertEquals(3.0 / 4.0, soft, 1e-12);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MaskOverlap.iouAtPhotoSize(new float[3], 2, hand));
    }

    @Test
    void macroRecallWeighsEverySpeciesEquallyWhateverItsPhotoCount() {
        ConfusionMatrix m = new ConfusionMatrix(java.util.List.of("common", "rare", "absent"));
        for (int i = 0; i < 9; i++) {
            m.add(0, 0); // 9 of 9 common photos right
        }
        m.add(1, 0); // 0 of 1 rare photo right
        // Micro accuracy would be 0.9; per species it is (1 + 0) / 2, the absent species not counted.
        org.junit.jupiter.api.Assertions.assertEquals(0.5, Evaluator.macroRecall(m), 1e-12);
    }
}
