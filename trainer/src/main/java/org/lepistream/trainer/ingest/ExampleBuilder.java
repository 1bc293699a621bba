package org.lepistream.trainer.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.RankPrediction;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.Verdict;
import org.lepistream.trainer.sampling.WeightClass;
import org.lepistream.trainer.sampling.WeightFormula;
import org.lepistream.trainer.store.DatasetStore;
import org.lepistream.trainer.store.Rejection;
import org.lepistream.trainer.store.TrainingExample;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * Decides what an expert label teaches: the label's taxon resolved in the model's taxonomy (ancestors filled in,
 * deeper ranks left blank for a genus- or family-level label), whether the service's answer at that rank was right,
 * and the example's adaptive-sampling class. Labels that cannot be used become a {@link Rejection} with a reason.
 */
public final class ExampleBuilder {

    /** Either an example (with the photo's file extension) or a rejection. */
    public record Outcome(TrainingExample example, String extension, Rejection rejection) {
        public boolean accepted() {
            return example != null;
        }
    }

    private final Taxonomy taxonomy;
    private final WeightFormula formula;

    public ExampleBuilder(Taxonomy taxonomy, WeightFormula formula) {
        this.taxonomy = taxonomy;
        this.formula = formula;
    }

    /** The taxonomy's ranks, top→leaf (the order of every example's labels). */
    public List<String> ranks() {
        return taxonomy.ranks();
    }

    public Outcome build(ExpertLabel label, Identification identification, JoinStore.Photo photo, String source,
            long now) {
        String sightingId = label.getSightingId();
        Verdict verdict = label.getVerdict();
        List<String> blank = new ArrayList<>(java.util.Collections.nCopies(taxonomy.depth(), ""));
        List<String> predicted = predictedPath(identification);
        String taxon = label.getTaxon();
        String rankName = label.getRank();
        if (verdict == Verdict.UNIDENTIFIABLE || verdict == Verdict.NOT_A_BUTTERFLY) {
            // Kept, with the service's view, but not a classifier target: there is no taxon to learn.
            return accepted(label, identification, photo, source, now, blank, predicted, null, null, null);
        }
        if (taxon == null || taxon.isBlank()) {
            if (verdict != Verdict.CONFIRMED) {
                return rejected(label, "NO_TAXON", verdict + " label without a taxon", source, now);
            }
            // Confirming without naming a taxon confirms the service's decision.
            taxon = identification.getDecidedTaxon();
            rankName = identification.getDecidedRank();
        }
        int rank;
        int node;
        if (rankName != null && !rankName.isBlank()) {
            rank = taxonomy.rankIndex(rankName.trim().toLowerCase(Locale.ROOT));
            if (rank < 0) {
                return rejected(label, "UNKNOWN_RANK", "rank '" + rankName + "' is not one of " + taxonomy.ranks(),
                        source, now);
            }
            node = taxonomy.indexOf(rank, taxon);
        } else {
            rank = -1;
            node = -1;
            for (int r = taxonomy.depth() - 1; r >= 0 && node < 0; r--) {
                node = taxonomy.indexOf(r, taxon);
                rank = r;
            }
        }
        if (node < 0) {
            return rejected(label, "UNKNOWN_TAXON", "taxon '" + taxon + "'" + (rankName == null ? "" : " at rank "
                    + rankName) + " is not in the model's taxonomy (" + taxonomy.leafCount() + " species)", source,
                    now);
        }
        List<String> names = new ArrayList<>(blank);
        int n = node;
        for (int r = rank; r >= 0; r--) {
            names.set(r, taxonomy.name(r, n));
            if (r > 0) {
                n = taxonomy.parent(r, n);
            }
        }
        boolean correct = taxonomy.name(rank, node).equals(predicted.get(rank));
        boolean lowOverlap = identification.getReasons().contains(ReviewReason.LOW_OVERLAP);
        return accepted(label, identification, photo, source, now, names, predicted, correct,
                WeightClass.of(correct, lowOverlap), taxonomy.ranks().get(rank));
    }

    private Outcome accepted(ExpertLabel label, Identification id, JoinStore.Photo photo, String source, long now,
            List<String> names, List<String> predicted, Boolean correct, WeightClass weightClass, String rank) {
        TrainingExample e = new TrainingExample(DatasetStore.keyOf(label.getSightingId()), label.getSightingId(), null,
                label.getVerdict().name(), rank == null ? null : names.get(taxonomy.rankIndex(rank)), rank, names,
                label.getReviewerId(), label.getLabelledAt().toEpochMilli(), id.getModelVersion(), predicted,
                id.getDecidedTaxon(), id.getDecidedRank(), id.getOverlap(), id.getConfidence(), id.getRoute().name(),
                id.getReasons().contains(ReviewReason.LOW_OVERLAP), correct,
                weightClass == null ? null : weightClass.label(),
                weightClass == null ? 0.0 : formula.outcome(weightClass), source, now,
                label.getNote() == null ? Map.of() : Map.of("note", label.getNote()),
                id.getReasons().stream().map(Enum::name).toList());
        return new Outcome(e, extension(photo), null);
    }

    private static Outcome rejected(ExpertLabel label, String reason, String detail, String source, long now) {
        return new Outcome(null, null, new Rejection(label.getSightingId(), reason, detail, source, now));
    }

    /** The service's top-1 per rank of the taxonomy ("" where the identification has no such rank). */
    private List<String> predictedPath(Identification id) {
        String[] out = new String[taxonomy.depth()];
        Arrays.fill(out, "");
        for (RankPrediction p : id.getPredictions()) {
            int r = taxonomy.rankIndex(p.getRank());
            if (r >= 0 && !p.getCandidates().isEmpty()) {
                out[r] = p.getCandidates().get(0).getTaxon();
            }
        }
        return List.of(out);
    }

    /** File extension from the MIME type, else from the magic bytes. */
    static String extension(JoinStore.Photo photo) {
        String type = photo.contentType() == null ? "" : photo.contentType().toLowerCase(Locale.ROOT);
        byte[] b = photo.bytes();
        if (type.contains("png") || b.length > 3 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N') {
            return "png";
        }
        if (type.contains("jpeg") || type.contains("jpg") || b.length > 2 && (b[0] & 0xff) == 0xff
                && (b[1] & 0xff) == 0xd8) {
            return "jpg";
        }
        return "img";
    }
}
