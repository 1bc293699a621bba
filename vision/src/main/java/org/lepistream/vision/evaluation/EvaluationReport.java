package org.lepistream.vision.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of an evaluation: a JSON-ready tree (the documented keys {@code n, ranks.<rank>.top1/top3,
 * mistakeSeverity, attentionInMask, ece, segmentationIoU, segmentationIoUAtMaskGrid, backgroundSwap}, where {@code backgroundSwap.<rank>} holds
 * {@code top1/top3} on the composites and {@code top1Original}; {@code null} for what could not be measured) plus the
 * species confusion matrix.
 */
public final class EvaluationReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> tree;
    private final ConfusionMatrix speciesConfusion;

    EvaluationReport(Map<String, Object> tree, ConfusionMatrix speciesConfusion) {
        this.tree = tree;
        this.speciesConfusion = speciesConfusion;
    }

    /** The JSON tree (unmodifiable view); usable as a bundle's metrics map. */
    public Map<String, Object> asMap() {
        return java.util.Collections.unmodifiableMap(tree);
    }

    public ConfusionMatrix speciesConfusion() {
        return speciesConfusion;
    }

    /** Number of images evaluated. */
    public int n() {
        return (Integer) tree.get("n");
    }

    /** Top-1 accuracy at a rank ({@code NaN} when unmeasured). */
    public double top1(String rank) {
        return number(rankEntry(rank).get("top1"));
    }

    /** Top-3 accuracy at a rank ({@code NaN} when unmeasured). */
    public double top3(String rank) {
        return number(rankEntry(rank).get("top3"));
    }

    /** A top-level numeric metric ({@code ece}, {@code attentionInMask}, {@code segmentationIoU}) or {@code NaN}. */
    public double metric(String key) {
        return number(tree.get(key));
    }

    /** Pretty-printed JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the JSON, creating parent folders. */
    public void writeJson(Path file) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, toJson() + "\n");
    }

    /** A few lines for people. */
    @SuppressWarnings("unchecked")
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("images evaluated: ").append(tree.get("n")).append('\n');
        Map<String, Object> ranks = (Map<String, Object>) tree.get("ranks");
        for (Map.Entry<String, Object> e : ranks.entrySet()) {
            Map<String, Object> r = (Map<String, Object>) e.getValue();
            sb.append(String.format(Locale.ROOT, "  %-8s top-1 %s  top-3 %s  (n=%s)%n", e.getKey(),
                    pct(r.get("top1")), pct(r.get("top3")), r.get("n")));
        }
        sb.append("  species macro recall: ").append(pct(tree.get("macroRecall"))).append('\n');
        if (tree.get("perFamily") instanceof Map<?, ?> families && !families.isEmpty()) {
            StringBuilder f = new StringBuilder();
            families.forEach((name, v) -> {
                Map<String, Object> m = (Map<String, Object>) v;
                f.append(String.format(Locale.ROOT, "%s %s (n=%s)  ", name, pct(m.get("speciesTop1")), m.get("n")));
            });
            sb.append("  species top-1 by ").append(ranks.keySet().iterator().next()).append(": ")
                    .append(f.toString().strip()).append('\n');
        }
        Map<String, Object> severity = (Map<String, Object>) tree.get("mistakeSeverity");
        sb.append(String.format(Locale.ROOT, "  mistakes: %s, mean severity %s (1 = right genus, 2 = right family)%n",
                severity.get("mistakes"), num(severity.get("meanOverMistakes"))));
        sb.append("  ECE (species, 15 bins): ").append(num(tree.get("ece"))).append('\n');
        sb.append("  attention in mask: ").append(num(tree.get("attentionInMask"))).append(" (hand masks), ")
                .append(num(tree.get("attentionInPredictedMask"))).append(" (the segmenter's masks)\n");
        sb.append("  segmentation IoU: ").append(num(tree.get("segmentationIoU")))
                .append(" (at the photos' resolution; ").append(num(tree.get("segmentationIoUAtMaskGrid")))
                .append(" on the segmenter's grid)\n");
        if (tree.get("routing") instanceof Map<?, ?> routing) {
            sb.append(String.format(Locale.ROOT, "  routing at %s accepted-species precision: Over-CAM routing accepts"
                    + " %s, confidence alone %s (risk-coverage curves in the JSON, \"routing\")%n",
                    pct(routing.get("target")), pct(routing.get("coverageWithOverlap")),
                    pct(routing.get("coverageConfidenceOnly"))));
        }
        Object swap = tree.get("backgroundSwap");
        if (swap instanceof Map<?, ?> s) {
            sb.append(String.format(Locale.ROOT,
                    "  background swap: species top-1 %s -> %s, prediction changed %s, donor species predicted %s%n",
                    pct(s.get("top1Original")), pct(s.get("top1Swapped")), pct(s.get("predictionChanged")),
                    pct(s.get("predictedDonorSpecies"))));
            StringBuilder perRank = new StringBuilder();
            for (String rank : ranks.keySet()) {
                if (s.get(rank) instanceof Map<?, ?> r) {
                    perRank.append(String.format(Locale.ROOT, "%s %s -> %s (top-3 %s)  ", rank,
                            pct(r.get("top1Original")), pct(r.get("top1")), pct(r.get("top3"))));
                }
            }
            if (perRank.length() > 0) {
                sb.append("  background swap top-1 per rank: ").append(perRank.toString().strip()).append('\n');
            }
        }
        Object skipped = tree.get("skipped");
        if (skipped instanceof List<?> l && !l.isEmpty()) {
            sb.append("  skipped images: ").append(l.size()).append('\n');
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> rankEntry(String rank) {
        Map<String, Object> ranks = (Map<String, Object>) tree.get("ranks");
        Object r = ranks.get(rank);
        if (r == null) {
            throw new IllegalArgumentException("no rank '" + rank + "' in the report; ranks are " + ranks.keySet());
        }
        return (Map<String, Object>) r;
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String pct(Object o) {
        return o instanceof Number n ? String.format(Locale.ROOT, "%.1f%%", 100 * n.doubleValue()) : "n/a";
    }

    private static String num(Object o) {
        return o instanceof Number n ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : "n/a";
    }

    /** JSON cannot hold NaN: unmeasured values become null. */
    static Object value(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static Map<String, Object> map() {
        return new LinkedHashMap<>();
    }
}
