package org.lepistream.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated instance of every topic's value type, for round-trip tests. */
public final class Samples {
    public static final Instant WHEN = Instant.ofEpochMilli(1_717_243_200_123L);

    private Samples() {
    }

    public static Sighting sighting() {
        return Sighting.newBuilder()
                .setSightingId("s-0001")
                .setObserverId("obs-42")
                .setObservedAt(WHEN)
                .setLocation(new GeoPoint(53.8008, -1.5491))
                .setImage(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3}))
                .setImageUri(null)
                .setContentType("image/jpeg")
                .setSource("garden-survey")
                .setMetadata(Map.of("weather", "sunny", "device", "phone"))
                .build();
    }

    public static Identification identification() {
        return Identification.newBuilder()
                .setSightingId("s-0001")
                .setModelVersion("cbam-7")
                .setPredictions(List.of(
                        new RankPrediction("family", List.of(new TaxonScore("Nymphalidae", 0.97), new TaxonScore("Pieridae", 0.02))),
                        new RankPrediction("genus", List.of(new TaxonScore("Vanessa", 0.91))),
                        new RankPrediction("species", List.of(new TaxonScore("Vanessa atalanta", 0.55),
                                new TaxonScore("Vanessa cardui", 0.36)))))
                .setDecidedRank("genus")
                .setDecidedTaxon("Vanessa")
                .setOverlap(0.82)
                .setConfidence(0.91)
                .setRoute(Route.REVIEW)
                .setReasons(List.of(ReviewReason.ROLLED_UP, ReviewReason.LOW_CONFIDENCE))
                .setTimings(new Timings(12L, 35L, 50L))
                .setProcessedAt(WHEN.plusMillis(50))
                .build();
    }

    public static ReviewRequest reviewRequest() {
        return ReviewRequest.newBuilder()
                .setIdentification(identification())
                .setImage(ByteBuffer.wrap(new byte[] {9, 8, 7}))
                .setImageUri(null)
                .setContentType("image/jpeg")
                .setAttentionOverlayPng(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
                .setMaskPng(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0}))
                .setObserverId("obs-42")
                .setObservedAt(WHEN)
                .setLocation(null)
                .build();
    }

    public static ExpertLabel expertLabel() {
        return ExpertLabel.newBuilder()
                .setSightingId("s-0001")
                .setReviewerId("rev-7")
                .setVerdict(Verdict.CORRECTED)
                .setTaxon("Vanessa cardui")
                .setRank("species")
                .setLabelledAt(WHEN.plusSeconds(3600))
                .setNote("underside visible; painted lady")
                .setModelVersion("cbam-7")
                .build();
    }

    public static ModelRelease modelRelease() {
        return ModelRelease.newBuilder()
                .setModelName("cbam")
                .setVersion("cbam-8")
                .setBundleUri("file:///models/cbam-8.zip")
                .setMetrics(Map.of("species_top1", 0.97, "family_top1", 1.0))
                .setThresholds(Map.of("overlap", 0.4, "confidence", 0.7))
                .setCreatedAt(WHEN)
                .setParentVersion("cbam-7")
                .build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("sightings")
                .setPartition(3)
                .setOffset(123_456_789_012L)
                .setStage("decode")
                .setReasonCode(DeadLetterReason.TRUNCATED_IMAGE)
                .setMessage("JPEG ends after 1024 of 40960 bytes")
                .setKey(ByteBuffer.wrap("s-0002".getBytes()))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 2}))
                .setFailedAt(WHEN)
                .build();
    }

    /** The sample of a topic's value class. */
    public static SpecificRecord of(Class<? extends SpecificRecord> type) {
        if (type == Sighting.class) {
            return sighting();
        } else if (type == Identification.class) {
            return identification();
        } else if (type == ReviewRequest.class) {
            return reviewRequest();
        } else if (type == ExpertLabel.class) {
            return expertLabel();
        } else if (type == ModelRelease.class) {
            return modelRelease();
        } else if (type == DeadLetter.class) {
            return deadLetter();
        }
        throw new IllegalArgumentException("No sample for " + type);
    }
}
