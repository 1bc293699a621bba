package org.lepistream.trainer.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GateTest {
    private static final ModelScore CURRENT = new ModelScore(100, 0.60, 0.80, 0.90, 0.70);
    private final Gate gate = new Gate(0.01, 0.05, 0.02);

    @Test
    void aBetterOrEqualCandidatePasses() {
        assertTrue(gate.judge(CURRENT, new ModelScore(100, 0.65, 0.70, 0.92, 0.60)).isEmpty());
        assertTrue(gate.judge(CURRENT, CURRENT).isEmpty());
        // Within every tolerance.
        assertTrue(gate.judge(CURRENT, new ModelScore(100, 0.595, 0.84, 0.885, 0.70)).isEmpty());
    }

    @Test
    void eachMetricCanRefuseWithItsName() {
        assertEquals("species_top1", gate.judge(CURRENT, new ModelScore(100, 0.58, 0.80, 0.90, 0.7)).orElseThrow()
                .metric());
        assertEquals("mistake_severity", gate.judge(CURRENT, new ModelScore(100, 0.60, 0.90, 0.90, 0.7))
                .orElseThrow().metric());
        Gate.Refusal r = gate.judge(CURRENT, new ModelScore(100, 0.60, 0.80, 0.85, 0.7)).orElseThrow();
        assertEquals("accepted_precision", r.metric());
        assertTrue(r.reason().contains("0.850") && r.reason().contains("0.900"), r.reason());
    }

    @Test
    void acceptingNothingIsSafeForPrecision() {
        assertTrue(gate.judge(CURRENT, new ModelScore(100, 0.60, 0.80, Double.NaN, 1.0)).isEmpty());
        assertTrue(gate.judge(new ModelScore(100, 0.6, 0.8, Double.NaN, 1.0), CURRENT).isEmpty());
    }
}
