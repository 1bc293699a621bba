package org.lepistream.trainer.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * One expert-labelled photo as the trainer keeps it: the label, what the service had said about it, and where it came
 * from. Stored as {@code examples/<id>.json} next to the photo; labels.csv is derived from these files.
 *
 * @param id file-safe form of the sighting id (the store's key: one example per sighting, the latest label wins)
 * @param image photo path relative to the store root
 * @param verdict CONFIRMED, CORRECTED, UNIDENTIFIABLE or NOT_A_BUTTERFLY
 * @param labels taxon name per rank, top→leaf, "" where the expert did not go that deep; all "" for verdicts without
 *     a taxon
 * @param modelVersion the release whose identification was reviewed
 * @param predicted the service's top-1 taxon per rank (top→leaf)
 * @param overlap Over-CAM overlap the service measured
 * @param lowOverlap whether the service flagged the overlap as too low (its own calibrated threshold)
 * @param correct whether the service's answer at the expert's deepest rank was right (null without a taxon)
 * @param weightClass adaptive-sampling class (null without a taxon)
 * @param outcomeWeight the outcome factor of the weight formula at ingestion (the final weight also depends on class
 *     frequencies, so it is recomputed for each training run and written to its weights.csv)
 * @param source topic-partition@offset of the label record
 * @param reasons why the service sent it to review (ReviewReason names; empty for an identification); null in
 *     examples stored before the field existed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingExample(String id, String sightingId, String image, String verdict, String taxon, String rank,
        List<String> labels, String reviewerId, long labelledAt, String modelVersion, List<String> predicted,
        String decidedTaxon, String decidedRank, double overlap, double confidence, String route, boolean lowOverlap,
        Boolean correct, String weightClass, double outcomeWeight, String source, long ingestedAt,
        Map<String, String> extra, List<String> reasons) {

    /** The service's reason for an audit: an accepted answer sent to an expert only to measure live precision. */
    public static final String AUDIT = "AUDIT";

    /** Whether the example carries a taxon the classifier can learn from. */
    public boolean trainable() {
        return labels != null && labels.stream().anyMatch(s -> s != null && !s.isEmpty());
    }

    /**
     * An audit: a random accepted identification an expert checked. Audits are the only unbiased sample of what the
     * model accepts live, so they measure candidates and are never trained on.
     */
    public boolean audit() {
        return reasons != null && reasons.equals(List.of(AUDIT));
    }

    /** The deepest labelled taxon (the class used for class balancing), or "" when none. */
    public String labelClass() {
        if (labels == null) {
            return "";
        }
        for (int r = labels.size() - 1; r >= 0; r--) {
            if (labels.get(r) != null && !labels.get(r).isEmpty()) {
                return labels.get(r);
            }
        }
        return "";
    }
}
