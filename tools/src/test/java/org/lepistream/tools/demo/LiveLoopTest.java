package org.lepistream.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.Route;
import org.lepistream.schemas.Timings;

class LiveLoopTest {

    private static Identification decided(String id, String version, Route route, List<ReviewReason> reasons,
            String rank, String taxon) {
        return Identification.newBuilder().setSightingId(id).setModelVersion(version).setPredictions(List.of())
                .setDecidedRank(rank).setDecidedTaxon(taxon).setOverlap(0.9).setConfidence(0.9).setRoute(route)
                .setReasons(reasons).setTimings(new Timings(1L, 1L, 1L)).setProcessedAt(Instant.now()).build();
    }

    @Test
    void perVersionReviewRateAndAcceptedPrecisionAgainstTheTruth() {
        LiveLoop live = new LiveLoop();
        Map<String, String> cardui = new LinkedHashMap<>();
        cardui.put("genus", "Vanessa");
        cardui.put("species", "Vanessa cardui");
        for (int i = 0; i < 6; i++) {
            live.truth("s" + i, cardui);
        }
        live.decided(decided("s0", "v1", Route.REVIEW, List.of(ReviewReason.LOW_CONFIDENCE), "genus", "Vanessa"));
        live.decided(decided("s1", "v1", Route.IDENTIFIED, List.of(), "species", "Vanessa atalanta"));
        live.decided(decided("s2", "v2", Route.IDENTIFIED, List.of(), "species", "Vanessa cardui"));
        live.decided(decided("s3", "v2", Route.IDENTIFIED, List.of(), "genus", "Vanessa"));
        // An audit is an accepted answer that an expert also checks.
        live.decided(decided("s4", "v2", Route.REVIEW, List.of(ReviewReason.AUDIT), "species", "Vanessa atalanta"));
        live.decided(decided("s5", "v2", Route.REVIEW, List.of(ReviewReason.LOW_OVERLAP), "species", "Vanessa cardui"));
        live.decided(decided("no-truth", "v2", Route.IDENTIFIED, List.of(), "species", "Vanessa cardui"));
        String lines = live.versions("\n");
        assertEquals(List.of("", "model v1: 2 decided, 50% to review, accepted 0.0% right (0 of 1)",
                "model v2: 5 decided, 20% to review, accepted 66.7% right (2 of 3)"), List.of(lines.split("\n")));
    }

    @Test
    void onlyTheLastThreeVersionsAreShown() {
        LiveLoop live = new LiveLoop();
        for (int v = 1; v <= 5; v++) {
            live.decided(decided("x" + v, "v" + v, Route.IDENTIFIED, List.of(), "species", "a"));
        }
        String lines = live.versions("|");
        assertTrue(lines.startsWith("|model v3:") && lines.contains("|model v5:") && !lines.contains("v2"), lines);
        assertTrue(lines.contains("accepted -"), "no truth, no precision: " + lines);
    }
}
