package org.lepistream.vision.data;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Dataset#load} kept and what it skipped, and why, so that no photo disappears silently.
 * Skipped rows are left out of the dataset; dropped masks leave the sample in, without a mask.
 */
public record LoadReport(int rows, int loaded, List<Problem> skipped, List<Problem> droppedMasks) {

    /** Why an image or mask could not be used. */
    public enum Kind {
        /** The file is missing or cannot be read. */
        MISSING,
        /** Not a decodable JPEG/PNG (corrupt, truncated, unsupported, empty). */
        UNREADABLE,
        /** Larger than the configured pixel limit. */
        OVERSIZED,
        /** The mask's size differs from the image's. */
        SIZE_MISMATCH
    }

    /** One problem: CSV line (1 = header), sample id, file, kind and the decoder's message. */
    public record Problem(int line, String id, String file, Kind kind, String message) {
        @Override
        public String toString() {
            return "line " + line + " (" + id + ", " + file + "): " + kind + " " + message;
        }
    }

    public LoadReport {
        skipped = List.copyOf(skipped);
        droppedMasks = List.copyOf(droppedMasks);
    }

    /** Number of rows left out. */
    public int skippedCount() {
        return skipped.size();
    }

    /** Skipped rows per kind. */
    public Map<Kind, Integer> skippedByKind() {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        skipped.forEach(p -> counts.merge(p.kind(), 1, Integer::sum));
        return counts;
    }

    /** One line for logs, e.g. "665 rows: 663 loaded, 2 skipped {UNREADABLE=1, OVERSIZED=1}, 0 masks dropped". */
    public String summary() {
        return rows + " rows: " + loaded + " loaded, " + skipped.size() + " skipped"
                + (skipped.isEmpty() ? "" : " " + skippedByKind()) + ", " + droppedMasks.size() + " masks dropped";
    }
}
