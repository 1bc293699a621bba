package org.lepistream.review.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lepistream.review.queue.Outcome;
import org.lepistream.review.taxonomy.TaxonomyIndex;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.Verdict;

/**
 * The precision of what the model accepts, measured on the accepted identifications the service sent to experts
 * blind as AUDIT (a hash-chosen share of all accepted ones, so an unbiased sample of them): per model version and per
 * rank, with a 95% Wilson interval. Validation photos say how a model did before release; this says how it does on
 * what people actually photograph.
 */
public final class LivePrecision {

    /** At {@code rank}, {@code correct} of {@code audited} accepted answers of {@code version} were right. */
    public record Row(String version, String rank, int correct, int audited) {
        public double precision() {
            return audited == 0 ? Double.NaN : (double) correct / audited;
        }

        /** The 95% Wilson score interval: sound at small counts and at precisions near 1, unlike p ± 1.96·se. */
        public double[] interval() {
            if (audited == 0) {
                return new double[] {0, 1};
            }
            double z = 1.959964;
            double n = audited;
            double p = correct / n;
            double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
            double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
            return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
        }
    }

    /** The review reason of an audit, as the queue and the outcomes spell reasons. */
    public static final String AUDIT = ReviewReason.AUDIT.name();

    private LivePrecision() {
    }

    /** Rows by model version (in name order), ranks top to leaf; a version without audits has no rows. */
    public static List<Row> of(List<Outcome> outcomes, TaxonomyIndex taxonomy) {
        Map<String, Map<String, int[]>> byVersion = new TreeMap<>();
        for (Outcome o : outcomes) {
            if (!o.reasons().contains(AUDIT) || o.modelTop() == null || o.modelVersion() == null) {
                continue;
            }
            Map<String, int[]> ranks = byVersion.computeIfAbsent(o.modelVersion(), v -> {
                Map<String, int[]> m = new LinkedHashMap<>();
                taxonomy.ranks().forEach(r -> m.put(r, new int[2]));
                return m;
            });
            if (Verdict.NOT_A_BUTTERFLY.name().equals(o.verdict())) {
                // The model accepted a species for a photo without one: wrong at every rank.
                ranks.values().forEach(c -> c[1]++);
                continue;
            }
            if (o.taxon() == null) {
                continue; // unidentifiable: the expert could not say, so neither right nor wrong
            }
            // A label at genus says nothing about the species: it counts at its rank and above.
            taxonomy.find(o.rank(), o.taxon()).ifPresent(t -> t.lineage().forEach((rank, name) -> {
                int[] c = ranks.get(rank);
                if (c != null) {
                    c[1]++;
                    c[0] += name.equals(o.modelTop().get(rank)) ? 1 : 0;
                }
            }));
        }
        List<Row> rows = new ArrayList<>();
        byVersion.forEach((version, ranks) -> ranks.forEach((rank, c) -> {
            if (c[1] > 0) {
                rows.add(new Row(version, rank, c[0], c[1]));
            }
        }));
        return rows;
    }
}
