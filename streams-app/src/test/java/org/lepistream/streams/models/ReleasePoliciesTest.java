package org.lepistream.streams.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;
import org.lepistream.schemas.ModelRelease;
import org.lepistream.schemas.OverCamMeasure;
import org.lepistream.schemas.OverCamRule;
import org.lepistream.schemas.OverCamSource;
import org.lepistream.decision.routing.OverCam;
import org.lepistream.decision.routing.RoutingPolicy;

class ReleasePoliciesTest {

    private static final List<String> RANKS = List.of("family", "genus", "species");

    /** A release written before the contract had a typed policy (see src/test/resources/releases/README.md). */
    static ModelRelease oldRelease() throws IOException {
        Schema writer;
        byte[] body;
        try (InputStream s = ReleasePoliciesTest.class.getResourceAsStream("/releases/ModelRelease-v1.avsc");
                InputStream b = ReleasePoliciesTest.class.getResourceAsStream("/releases/release-v1.avro")) {
            writer = new Schema.Parser().parse(s);
            body = b.readAllBytes();
        }
        return new SpecificDatumReader<ModelRelease>(writer, ModelRelease.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(body, null));
    }

    @Test
    void aReleaseWrittenWithThePreviousSchemaRoutesWithItsLegacyThresholds() throws IOException {
        ModelRelease old = oldRelease();
        assertEquals("20261101T120000Z-0a1b2c3d", old.getVersion());
        assertNull(old.getPolicy(), "the field it never had reads as its default");
        RoutingPolicy p = ReleasePolicies.of(old, RANKS, OverCam.Settings.DEFAULT);
        assertEquals(Map.of("family", 0.61, "genus", 0.72, "species", 0.83), p.rankThresholds());
        assertEquals(0.34, p.overlapThreshold());
        assertEquals(new OverCam.Settings(-2, OverCam.Rule.TOP_PERCENT, 20, 0.5), p.overCam());
        assertEquals(null, p.maskFreeAbove(), "no cascade then: every photo is segmented");
    }

    @Test
    void aTypedPolicyWinsOverTheLegacyMap() throws IOException {
        ModelRelease release = ModelRelease.newBuilder(oldRelease()).setThresholds(Map.of("species", 0.1))
                .setPolicy(org.lepistream.schemas.RoutingPolicy.newBuilder()
                        .setRankThresholds(Map.of("family", 0.5, "species", 0.9)).setOverlapThreshold(0.25)
                        .setOverCam(OverCamMeasure.newBuilder().setSource(OverCamSource.GRAD_CAM).setLevel(-1)
                                .setRule(OverCamRule.MEAN).setTopPercent(20).setMaskThreshold(0.4).build())
                        .setCalibrationTarget(0.95).setMaskFreeAbove(0.97).build())
                .build();
        RoutingPolicy p = ReleasePolicies.of(release, RANKS, OverCam.Settings.DEFAULT);
        assertEquals(Map.of("family", 0.5, "species", 0.9), p.rankThresholds());
        assertEquals(0.25, p.overlapThreshold());
        assertEquals(new OverCam.Settings(-1, OverCam.Rule.MEAN, 20, 0.4, OverCam.Source.GRAD_CAM), p.overCam());
        assertEquals(0.95, p.calibrationTarget());
        assertEquals(0.97, p.maskFreeAbove());
    }
}
