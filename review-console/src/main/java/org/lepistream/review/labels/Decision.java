package org.lepistream.review.labels;

import java.util.Locale;
import org.lepistream.schemas.Verdict;

/**
 * What a reviewer decided about one sighting, as submitted by the sighting page.
 *
 * @param taxon null for UNIDENTIFIABLE and NOT_A_BUTTERFLY
 * @param rank  the rank of {@code taxon}; an expert sure only of the genus labels the genus
 */
public record Decision(Verdict verdict, String taxon, String rank, String note) {

    /** Parses the form's action: "confirm", "label" (a chosen taxon), "unidentifiable" or "not-a-butterfly". */
    public static Decision parse(String action, String taxon, String rank, String note) {
        String a = action == null ? "" : action.trim().toLowerCase(Locale.ROOT);
        String n = note == null || note.isBlank() ? null : note.strip();
        if (n != null && n.length() > 2000) {
            throw new IllegalArgumentException("the note is longer than 2000 characters");
        }
        return switch (a) {
            case "unidentifiable" -> new Decision(Verdict.UNIDENTIFIABLE, null, null, n);
            case "not-a-butterfly" -> new Decision(Verdict.NOT_A_BUTTERFLY, null, null, n);
            case "confirm", "label" -> {
                if (taxon == null || taxon.isBlank() || rank == null || rank.isBlank()) {
                    throw new IllegalArgumentException("choose a taxon (and its rank) to " + a);
                }
                // CONFIRMED vs CORRECTED is decided against the model's prediction by the label desk.
                yield new Decision(Verdict.CONFIRMED, taxon.strip(), rank.strip().toLowerCase(Locale.ROOT), n);
            }
            default -> throw new IllegalArgumentException("unknown action '" + action
                    + "' (confirm, label, unidentifiable, not-a-butterfly)");
        };
    }
}
