package org.lepistream.trainer.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lepistream.schemas.OverCamRule;
import org.lepistream.schemas.OverCamSource;
import org.lepistream.schemas.RoutingPolicy;

class PolicyRecordsTest {

    @Test
    void calibratedThresholdsBecomeTheTypedPolicyOfTheRelease() {
        RoutingPolicy p = PolicyRecords.of(Map.of("family", 0.5, "genus", 0.6, "species", 0.9, "overlap", 0.25,
                "overlap.level", -2.0, "overlap.topPercent", 30.0, "overlap.gradCam", 0.0));
        assertEquals(Map.of("family", 0.5, "genus", 0.6, "species", 0.9), p.getRankThresholds());
        assertEquals(0.25, p.getOverlapThreshold());
        assertEquals(OverCamSource.ATTENTION, p.getOverCam().getSource());
        assertEquals(-2, p.getOverCam().getLevel());
        assertEquals(OverCamRule.TOP_PERCENT, p.getOverCam().getRule());
        assertEquals(30.0, p.getOverCam().getTopPercent());
        assertNull(p.getMaskFreeAbove(), "no cascade calibrated");
        assertEquals(0.96, PolicyRecords.of(Map.of("species", 0.9, "overlap.mask-free-above", 0.96))
                .getMaskFreeAbove());
    }

    @Test
    void thresholdsWithoutAnOverCamSettingLeaveItOut() {
        RoutingPolicy p = PolicyRecords.of(Map.of("species", 0.7));
        assertNull(p.getOverCam());
        assertNull(p.getOverlapThreshold());
    }
}
