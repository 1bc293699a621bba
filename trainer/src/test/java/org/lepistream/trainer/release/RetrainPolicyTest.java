package org.lepistream.trainer.release;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetrainPolicyTest {
    private static final long HOUR = 3_600_000L;
    private final RetrainPolicy policy = new RetrainPolicy(100, Duration.ofHours(24));

    @Test
    void enoughNewLabelsTriggerAtOnce() {
        assertTrue(policy.due(100, 5, 5, 6));
        assertFalse(policy.due(99, 5, 5, 6));
    }

    @Test
    void thePeriodTriggersOnlyWithSomethingNew() {
        long last = 10 * HOUR;
        assertTrue(policy.due(1, last, 0, last + 24 * HOUR));
        assertFalse(policy.due(1, last, 0, last + 23 * HOUR));
        assertFalse(policy.due(0, last, 0, last + 48 * HOUR), "nothing new: no point in training");
        // Never trained: the period counts from the trainer's first start.
        assertTrue(policy.due(3, 0, HOUR, 25 * HOUR));
        assertFalse(policy.due(3, 0, HOUR, 2 * HOUR));
        assertThrows(IllegalArgumentException.class, () -> new RetrainPolicy(0, Duration.ZERO));
    }
}
