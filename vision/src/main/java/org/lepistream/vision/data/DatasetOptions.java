package org.lepistream.vision.data;

import java.util.List;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * How {@link Dataset#load} reads a folder: which labels.csv columns are the ranks (top→leaf), the pixel
 * limit, how thoroughly images are checked, and optionally a fixed taxonomy (e.g. a model bundle's) to map
 * labels into instead of building one from the CSV.
 */
public record DatasetOptions(List<String> rankColumns, long maxPixels, Verification verification, Taxonomy taxonomy) {

    /** How much of each image is checked while loading. */
    public enum Verification {
        /** Decode every image and mask fully: catches corrupt and truncated files (Leeds: about a second). */
        DECODE,
        /** Read headers only: catches missing, non-image and oversized files, not damaged pixel data. */
        HEADER
    }

    public DatasetOptions {
        rankColumns = List.copyOf(rankColumns);
        if (rankColumns.size() < 2) {
            throw new IllegalArgumentException("need at least 2 rank columns, got " + rankColumns);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        if (verification == null) {
            throw new IllegalArgumentException("verification must be set");
        }
        if (taxonomy != null && !taxonomy.ranks().equals(rankColumns)) {
            throw new IllegalArgumentException("fixed taxonomy ranks " + taxonomy.ranks() + " differ from rank columns "
                    + rankColumns);
        }
    }

    /** family, genus, species; 40 MP; full decode; taxonomy built from the CSV. */
    public static DatasetOptions defaults() {
        return new DatasetOptions(Taxonomy.DEFAULT_RANKS, ImageDecoder.DEFAULT_MAX_PIXELS, Verification.DECODE, null);
    }

    public DatasetOptions withRankColumns(List<String> columns) {
        return new DatasetOptions(columns, maxPixels, verification, taxonomy == null || taxonomy.ranks().equals(columns)
                ? taxonomy : null);
    }

    public DatasetOptions withMaxPixels(long pixels) {
        return new DatasetOptions(rankColumns, pixels, verification, taxonomy);
    }

    public DatasetOptions withVerification(Verification v) {
        return new DatasetOptions(rankColumns, maxPixels, v, taxonomy);
    }

    /** Maps labels into this taxonomy (its ranks become the rank columns); unknown names are an error. */
    public DatasetOptions withTaxonomy(Taxonomy fixed) {
        return new DatasetOptions(fixed.ranks(), maxPixels, verification, fixed);
    }
}
