package org.lepistream.vision.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EpochSamplerTest {

    @Test
    void shuffleVisitsEveryImageOnce() {
        int[] order = EpochSampler.shuffle().order(50, 1, new Random(3));
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        int[] expected = new int[50];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals(expected, sorted);
        assertTrue(!Arrays.equals(expected, order), "not shuffled");
    }

    @Test
    void weightedDrawsInProportionAndNeverPicksZeroWeights() {
        double[] w = {1, 0, 3};
        int[] counts = new int[3];
        Random rng = new Random(7);
        for (int rep = 0; rep < 2000; rep++) {
            for (int i : EpochSampler.weighted(w).order(3, rep, rng)) {
                counts[i]++;
            }
        }
        assertEquals(0, counts[1]);
        assertEquals(3.0, (double) counts[2] / counts[0], 0.25);
        assertThrows(IllegalArgumentException.class, () -> EpochSampler.weighted(new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> EpochSampler.weighted(new double[] {1, -1}));
    }

    @Test
    void earlyStoppingWaitsForPatienceAndIgnoresTies() {
        EarlyStopping s = new EarlyStopping(2);
        assertTrue(s.record(1, 0.5));
        assertTrue(!s.record(2, 0.5));
        assertTrue(!s.shouldStop());
        assertTrue(s.record(3, 0.6));
        assertTrue(!s.record(4, 0.4));
        assertTrue(!s.record(5, 0.6));
        assertTrue(s.shouldStop());
        assertEquals(3, s.bestEpoch());
        assertTrue(!new EarlyStopping(0).shouldStop());
    }
}
