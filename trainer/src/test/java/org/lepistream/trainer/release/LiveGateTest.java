package org.lepistream.trainer.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LiveGateTest {

    private static ModelScore precision(double p) {
        return new ModelScore(40, 0.9, 0.1, p, 0.2);
    }

    @Test
    void abstainsBelowTheMinimumAndWhenOff() {
        assertFalse(LiveGate.DEFAULT.applies(29));
        assertTrue(LiveGate.DEFAULT.applies(30));
        assertFalse(new LiveGate(0, 0.02).applies(10_000));
    }

    @Test
    void aCandidateLessPreciseOnTheAuditsThanTheToleranceAllowsIsRefused() {
        LiveGate gate = new LiveGate(30, 0.02);
        assertTrue(gate.judge(precision(0.95), precision(0.94)).isEmpty(), "within the tolerance");
        Gate.Refusal r = gate.judge(precision(0.95), precision(0.90)).orElseThrow();
        assertEquals("live_precision", r.metric());
        assertTrue(r.reason().contains("40 audited") && r.reason().contains("0.900") && r.reason().contains("0.950"),
                r.reason());
        assertTrue(gate.judge(precision(0.95), precision(Double.NaN)).isEmpty(), "accepts none: nothing wrong out");
        assertThrows(IllegalArgumentException.class, () -> new LiveGate(-1, 0.02));
    }
}
