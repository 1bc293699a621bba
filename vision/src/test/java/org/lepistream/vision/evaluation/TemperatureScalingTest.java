package org.lepistream.vision.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TemperatureScalingTest {

    /** Photos whose true logits are z, shown to the "model" as z * 3: an over-confident net whose right T is 3. */
    @Test
    void recoversTheTemperatureThatMadeAModelOverConfident() {
        Random rng = new Random(4);
        int n = 4000;
        int k = 5;
        double[][] shown = new double[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double[] z = new double[k];
            for (int c = 0; c < k; c++) {
                z[c] = rng.nextGaussian();
            }
            labels[i] = sample(softmax(z, 1), rng);
            shown[i] = softmax(z, 3);
        }
        double t = TemperatureScaling.fit(shown, labels);
        assertEquals(3.0, t, 0.25);
        double before = TemperatureScaling.meanNll(shown, labels);
        double after = TemperatureScaling.meanNll(TemperatureScaling.apply(shown, t), labels);
        assertTrue(after < before - 0.1, before + " -> " + after);
    }

    @Test
    void applyingKeepsTheRankingAndOneIsTheIdentity() {
        double[][] p = {{0.7, 0.2, 0.1}};
        assertArrayEquals(p[0], TemperatureScaling.apply(p, 1.0)[0], 1e-12);
        double[] flat = TemperatureScaling.apply(p, 2.0)[0];
        assertTrue(flat[0] > flat[1] && flat[1] > flat[2] && flat[0] < 0.7);
        assertEquals(1.0, flat[0] + flat[1] + flat[2], 1e-12);
    }

    @Test
    void unlabelledRowsAreSkippedAndNoLabelsIsAnError() {
        assertThrows(IllegalArgumentException.class,
                () -> TemperatureScaling.fit(new double[][] {{0.5, 0.5}}, new int[] {-1}));
    }

    private static double[] softmax(double[] z, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v * scale);
        }
        double[] out = new double[z.length];
        double total = 0;
        for (int c = 0; c < z.length; c++) {
            out[c] = Math.exp(z[c] * scale - max);
            total += out[c];
        }
        for (int c = 0; c < z.length; c++) {
            out[c] /= total;
        }
        return out;
    }

    private static int sample(double[] p, Random rng) {
        double u = rng.nextDouble();
        for (int c = 0; c < p.length; c++) {
            u -= p[c];
            if (u <= 0) {
                return c;
            }
        }
        return p.length - 1;
    }
}
