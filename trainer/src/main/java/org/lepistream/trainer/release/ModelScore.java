package org.lepistream.trainer.release;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A model measured on the fixed validation set with a given set of routing thresholds.
 *
 * @param speciesTop1 share of photos with a species label whose top species is right
 * @param mistakeSeverity mean distance (in ranks) to the common ancestor of truth and top species, over all photos (0
 *     for right answers; lower is better)
 * @param acceptedPrecision share of accepted (identified at species rank, enough overlap) photos that are right; NaN
 *     when nothing is accepted
 * @param reviewRate share of photos that would go to expert review
 */
public record ModelScore(int n, double speciesTop1, double mistakeSeverity, double acceptedPrecision,
        double reviewRate) {

    /** As ModelRelease metrics (NaN left out: Avro doubles can carry it, but dashboards choke). */
    public Map<String, Double> asMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("val_n", (double) n);
        m.put("species_top1", speciesTop1);
        m.put("mistake_severity", mistakeSeverity);
        if (!Double.isNaN(acceptedPrecision)) {
            m.put("accepted_precision", acceptedPrecision);
        }
        m.put("review_rate", reviewRate);
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "top1 %.3f, severity %.3f, accepted precision %s, review rate %.3f (n=%d)",
                speciesTop1, mistakeSeverity, Double.isNaN(acceptedPrecision) ? "n/a (none accepted)"
                        : String.format(Locale.ROOT, "%.3f", acceptedPrecision), reviewRate, n);
    }
}
