package org.lepistream.vision.evaluation;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.lepistream.decision.analysis.AttentionMap;
import org.lepistream.decision.analysis.ImageAnalysis;
import org.lepistream.decision.routing.Calibration;
import org.lepistream.vision.bundle.Identifier;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.ImageDecoder;
import org.lepistream.vision.data.ImageRejectedException;
import org.lepistream.vision.data.ImageTensors;
import org.lepistream.vision.data.Sample;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * Evaluates a model bundle on labelled photos: top-1/top-3 per rank, mistake severity, species ECE, attention in the
 * hand mask, segmentation IoU, and optionally the background-swap test; writes the species confusion matrix (PNG)
 * and the per-class table when given an output folder. Samples' labels must be indexed in the bundle's taxonomy
 * (load the dataset with {@code DatasetOptions.withTaxonomy(bundle.taxonomy())}).
 */
public final class Evaluator {
    /** The service's default routing target: accepted species predictions at least this often right. */
    static final double ROUTING_TARGET = 0.95;

    private final ModelBundle bundle;
    /** Images per forward pass. */
    private final int batchSize = 32;
    private boolean backgroundSwap;
    private long swapSeed = 1;
    private Path outputDir;
    private java.util.function.Consumer<String> progress;
    private final ImageDecoder decoder = new ImageDecoder();

    public Evaluator(ModelBundle bundle) {
        this.bundle = bundle;
    }

    /** Also runs the background-swap test with donors chosen by this seed. */
    public Evaluator withBackgroundSwap(long seed) {
        this.backgroundSwap = true;
        this.swapSeed = seed;
        return this;
    }

    /** Writes confusion-species.png, per-class.md/.csv (and swap examples) here. */
    public Evaluator withOutputDir(Path dir) {
        this.outputDir = dir;
        return this;
    }

    /** Receives a short status ("evaluated 64/100") after every batch. */
    public Evaluator withProgress(java.util.function.Consumer<String> status) {
        this.progress = status;
        return this;
    }

    /** Runs the evaluation on the calling thread (the identifier it creates is thread-confined). */
    public EvaluationReport evaluate(List<Sample> samples) throws IOException {
        Taxonomy taxonomy = bundle.taxonomy();
        int depth = taxonomy.depth();
        int size = bundle.manifest().preprocessing().inputSize();
        List<Map<String, Object>> skipped = new ArrayList<>();
        List<Sample> used = new ArrayList<>();
        List<ImageAnalysis> analyses = new ArrayList<>();
        List<float[]> handMasks = new ArrayList<>();
        List<Double> photoIoUs = new ArrayList<>();
        try (Identifier identifier = bundle.newIdentifier()) {
            for (int from = 0; from < samples.size(); from += batchSize) {
                List<Sample> part = samples.subList(from, Math.min(samples.size(), from + batchSize));
                List<BufferedImage> images = new ArrayList<>();
                List<BufferedImage> fullMasks = new ArrayList<>();
                for (Sample s : part) {
                    BufferedImage img = decode(s.image(), s.id(), skipped);
                    if (img == null) {
                        continue;
                    }
                    checkLabels(s, taxonomy);
                    images.add(img);
                    used.add(s);
                    BufferedImage mask = s.mask() == null ? null : decode(s.mask(), s.id() + " (mask)", skipped);
                    if (mask != null) {
                        mask = bundle.manifest().preprocessing().crop(mask);
                    }
                    handMasks.add(mask == null ? null : ImageTensors.maskToArray(mask, size));
                    fullMasks.add(mask);
                }
                List<ImageAnalysis> batch = identifier.analyse(images);
                for (int i = 0; i < batch.size(); i++) {
                    if (fullMasks.get(i) != null && batch.get(i).mask() != null) {
                        photoIoUs.add(MaskOverlap.iouAtPhotoSize(batch.get(i).mask(), batch.get(i).maskSize(),
                                fullMasks.get(i)));
                    }
                }
                analyses.addAll(batch);
                if (progress != null) {
                    progress.accept("evaluated " + Math.min(samples.size(), from + batchSize) + "/" + samples.size());
                }
            }
        }
        if (used.isEmpty()) {
            throw new IllegalArgumentException("no image could be evaluated (" + samples.size() + " given, "
                    + skipped.size() + " skipped)");
        }

        int n = used.size();
        Map<String, Object> tree = EvaluationReport.map();
        tree.put("n", n);
        tree.put("model", Map.of("name", bundle.manifest().modelName(), "version", bundle.manifest().version()));
        Map<String, Object> ranks = EvaluationReport.map();
        for (int r = 0; r < depth; r++) {
            double[][] probs = new double[n][];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                probs[i] = analyses.get(i).rankProbabilities()[r];
                labels[i] = used.get(i).label(r);
            }
            Map<String, Object> entry = EvaluationReport.map();
            entry.put("top1", EvaluationReport.value(RankAccuracy.topK(probs, labels, 1)));
            entry.put("top3", EvaluationReport.value(RankAccuracy.topK(probs, labels, 3)));
            entry.put("n", RankAccuracy.counted(labels));
            ranks.put(taxonomy.ranks().get(r), entry);
        }
        tree.put("ranks", ranks);

        int[] trueLeaves = new int[n];
        int[] predicted = new int[n];
        List<Double> confidences = new ArrayList<>();
        List<Boolean> correct = new ArrayList<>();
        ConfusionMatrix confusion = new ConfusionMatrix(taxonomy.names(depth - 1));
        for (int i = 0; i < n; i++) {
            trueLeaves[i] = used.get(i).leaf();
            predicted[i] = analyses.get(i).top(depth - 1);
            confusion.add(trueLeaves[i], predicted[i]);
            if (trueLeaves[i] >= 0) {
                confidences.add(analyses.get(i).topProbability(depth - 1));
                correct.add(predicted[i] == trueLeaves[i]);
            }
        }
        tree.put("macroRecall", EvaluationReport.value(macroRecall(confusion)));
        tree.put("perFamily", perTopRank(taxonomy, trueLeaves, predicted));
        MistakeSeverity severity = MistakeSeverity.measure(trueLeaves, predicted, depth,
                taxonomy::distanceToCommonAncestor);
        Map<String, Object> sev = EvaluationReport.map();
        sev.put("mistakes", severity.mistakes());
        sev.put("meanOverMistakes", EvaluationReport.value(severity.meanOverMistakes()));
        sev.put("meanOverAll", EvaluationReport.value(severity.meanOverAll()));
        Map<String, Object> histogram = EvaluationReport.map();
        for (int k = 0; k < severity.histogram().length; k++) {
            histogram.put(Integer.toString(k), severity.histogram()[k]);
        }
        sev.put("histogram", histogram);
        tree.put("mistakeSeverity", sev);

        double[] conf = confidences.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] ok = new boolean[correct.size()];
        for (int i = 0; i < ok.length; i++) {
            ok[i] = correct.get(i);
        }
        tree.put("ece", EvaluationReport.value(CalibrationError.expected(conf, ok, CalibrationError.DEFAULT_BINS)));
        tree.put("attentionInMask", EvaluationReport.value(meanAttentionInMask(analyses, handMasks, size)));
        tree.put("attentionInPredictedMask", EvaluationReport.value(meanAttentionInPredictedMask(analyses)));
        // The headline IoU is at each hand mask's own resolution; the model-grid one is kept for comparison.
        tree.put("segmentationIoU", EvaluationReport.value(
                photoIoUs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
        tree.put("segmentationIoUAtMaskGrid", EvaluationReport.value(meanIoU(analyses, handMasks, size)));
        tree.put("routing", routing(used, analyses));
        tree.put("backgroundSwap", backgroundSwap ? swap(used, analyses, skipped) : null);
        tree.put("skipped", skipped);

        if (outputDir != null) {
            confusion.writePng(outputDir.resolve("confusion-species.png"),
                    "species confusion (" + bundle.manifest().version() + ", n=" + n + ")");
            PerClassTable.write(confusion, outputDir, "per-class");
        }
        return new EvaluationReport(tree, confusion);
    }

    /**
     * Risk–coverage of Over-CAM routing vs confidence-only routing, as {@code calibrate} chooses it, at the service's
     * default target (accepted species ≥ 95% right); null when the model has no segmenter or no attention/Grad-CAM.
     */
    private Map<String, Object> routing(List<Sample> used, List<ImageAnalysis> analyses) {
        List<Calibration.Observation> obs = new ArrayList<>();
        for (int i = 0; i < analyses.size(); i++) {
            ImageAnalysis a = analyses.get(i);
            if (a.mask() == null || (a.attention().isEmpty() && a.gradCam() == null)) {
                return null;
            }
            obs.add(Calibration.Observation.of(a, used.get(i).labels()));
        }
        Calibration.Result r;
        try {
            r = Calibration.calibrate(obs, bundle.taxonomy(), ROUTING_TARGET);
        } catch (IllegalArgumentException e) {
            return null; // no species labels to calibrate on
        }
        Map<String, Object> out = EvaluationReport.map();
        out.put("target", ROUTING_TARGET);
        out.put("overCam", r.overlap().toThresholds());
        out.put("coverageWithOverlap", r.reachable() ? r.coverage() : 0.0);
        out.put("coverageConfidenceOnly", r.confidenceOnlyCoverage());
        out.put("curveWithOverlap", points(r.withOverlap()));
        out.put("curveConfidenceOnly", points(r.confidenceOnly()));
        return out;
    }

    private static List<Map<String, Object>> points(List<Calibration.Point> curve) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Calibration.Point p : curve) {
            Map<String, Object> m = EvaluationReport.map();
            m.put("coverage", p.coverage());
            m.put("risk", p.risk());
            out.add(m);
        }
        return out;
    }

    private static double meanAttentionInMask(List<ImageAnalysis> analyses, List<float[]> masks, int size) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < analyses.size(); i++) {
            if (masks.get(i) == null || analyses.get(i).attention().isEmpty()) {
                continue;
            }
            OptionalDouble share = AttentionMap.meanFractionInside(analyses.get(i).attention(), masks.get(i), size,
                    size);
            if (share.isPresent()) {
                sum += share.getAsDouble();
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * Species recall averaged over the species that have photos here: every species counts the same, however many
     * photos it has (butterflies-75 has 48–92 train photos per species; a programme's list is far more uneven).
     */
    static double macroRecall(ConfusionMatrix confusion) {
        double sum = 0;
        int classes = 0;
        for (int t = 0; t < confusion.size(); t++) {
            if (confusion.support(t) > 0) {
                sum += confusion.recall(t);
                classes++;
            }
        }
        return classes == 0 ? Double.NaN : sum / classes;
    }

    /**
     * Per node of the top rank (families): how many photos, species top-1 among them, and how often the predicted
     * species is at least in the right family.
     */
    private static Map<String, Object> perTopRank(Taxonomy taxonomy, int[] trueLeaves, int[] predicted) {
        int nodes = taxonomy.size(0);
        int[] n = new int[nodes];
        int[] species = new int[nodes];
        int[] top = new int[nodes];
        for (int i = 0; i < trueLeaves.length; i++) {
            if (trueLeaves[i] < 0) {
                continue;
            }
            int family = taxonomy.ancestor(trueLeaves[i], 0);
            n[family]++;
            species[family] += predicted[i] == trueLeaves[i] ? 1 : 0;
            top[family] += taxonomy.ancestor(predicted[i], 0) == family ? 1 : 0;
        }
        Map<String, Object> out = EvaluationReport.map();
        for (int f = 0; f < nodes; f++) {
            if (n[f] == 0) {
                continue;
            }
            Map<String, Object> entry = EvaluationReport.map();
            entry.put("n", n[f]);
            entry.put("speciesTop1", EvaluationReport.value((double) species[f] / n[f]));
            entry.put(taxonomy.ranks().get(0) + "Top1", EvaluationReport.value((double) top[f] / n[f]));
            out.put(taxonomy.name(0, f), entry);
        }
        return out;
    }

    /**
     * Attention inside the segmenter's own mask (thresholded at 0.5): on data without hand masks, the only measure
     * of where the classifier looks.
     */
    private static double meanAttentionInPredictedMask(List<ImageAnalysis> analyses) {
        double sum = 0;
        int count = 0;
        for (ImageAnalysis a : analyses) {
            if (a.mask() == null || a.attention().isEmpty()) {
                continue;
            }
            float[] mask = new float[a.mask().length];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = a.mask()[i] >= 0.5f ? 1f : 0f;
            }
            OptionalDouble share = AttentionMap.meanFractionInside(a.attention(), mask, a.maskSize(), a.maskSize());
            if (share.isPresent()) {
                sum += share.getAsDouble();
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private double meanIoU(List<ImageAnalysis> analyses, List<float[]> masks, int size) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < analyses.size(); i++) {
            ImageAnalysis a = analyses.get(i);
            if (masks.get(i) == null || a.mask() == null) {
                continue;
            }
            float[] truth = masks.get(i);
            if (a.maskSize() != size) {
                // The segmenter may run at another size than the classifier: compare at the segmenter's.
                truth = rescale(truth, size, a.maskSize());
            }
            sum += MaskOverlap.iou(a.mask(), truth);
            count++;
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static float[] rescale(float[] mask, int from, int to) {
        float[] out = new float[to * to];
        for (int y = 0; y < to; y++) {
            for (int x = 0; x < to; x++) {
                out[y * to + x] = mask[(int) ((long) y * from / to) * from + (int) ((long) x * from / to)];
            }
        }
        return out;
    }

    /** Re-backgrounds every masked image with a donor of another species and compares the predictions. */
    private Map<String, Object> swap(List<Sample> used, List<ImageAnalysis> original,
            List<Map<String, Object>> skipped) throws IOException {
        int depth = bundle.taxonomy().depth();
        List<Integer> targets = new ArrayList<>();
        for (int i = 0; i < used.size(); i++) {
            if (used.get(i).mask() != null && used.get(i).leaf() >= 0) {
                targets.add(i);
            }
        }
        Map<String, Object> out = EvaluationReport.map();
        out.put("seed", swapSeed);
        int[] species = targets.stream().mapToInt(i -> used.get(i).leaf()).toArray();
        if (targets.isEmpty() || java.util.Arrays.stream(species).distinct().count() < 2) {
            out.put("n", 0);
            out.put("note", "needs masked images of at least two species");
            return out;
        }
        int[] donors = BackgroundSwap.pickDonors(species, species, swapSeed);
        int hitsBefore = 0;
        int hitsAfter = 0;
        int changed = 0;
        int toDonor = 0;
        int size = bundle.manifest().preprocessing().inputSize();
        double attentionBefore = 0;
        double attentionAfter = 0;
        int attentionCount = 0;
        List<BufferedImage> examples = new ArrayList<>();
        // Per-rank probabilities of each compared pair, so accuracy on the composites can be reported at every rank.
        List<double[][]> probsBefore = new ArrayList<>();
        List<double[][]> probsAfter = new ArrayList<>();
        List<int[]> pairLabels = new ArrayList<>();
        int n = 0;
        try (Identifier identifier = bundle.newIdentifier()) {
            for (int from = 0; from < targets.size(); from += batchSize) {
                List<BufferedImage> composites = new ArrayList<>();
                List<Integer> which = new ArrayList<>();
                List<float[]> masks = new ArrayList<>();
                for (int k = from; k < Math.min(targets.size(), from + batchSize); k++) {
                    Sample s = used.get(targets.get(k));
                    Sample d = used.get(targets.get(donors[k]));
                    BufferedImage img = decode(s.image(), s.id(), skipped);
                    BufferedImage mask = decode(s.mask(), s.id() + " (mask)", skipped);
                    BufferedImage donor = decode(d.image(), d.id() + " (donor)", skipped);
                    BufferedImage donorMask = decode(d.mask(), d.id() + " (donor mask)", skipped);
                    if (img == null || mask == null || donor == null || donorMask == null) {
                        continue;
                    }
                    BufferedImage composite = BackgroundSwap.composite(img, mask, donor, donorMask);
                    composites.add(composite);
                    which.add(k);
                    masks.add(ImageTensors.maskToArray(mask, size));
                    // Spread the examples over the list (it is usually sorted by species).
                    if (examples.size() < 16 && k % Math.max(1, targets.size() / 8) == 0) {
                        examples.add(img);
                        examples.add(composite);
                    }
                }
                List<ImageAnalysis> swapped = identifier.analyse(composites);
                for (int j = 0; j < swapped.size(); j++) {
                    int k = which.get(j);
                    ImageAnalysis before = original.get(targets.get(k));
                    ImageAnalysis after = swapped.get(j);
                    int truth = species[k];
                    int donorSpecies = species[donors[k]];
                    n++;
                    probsBefore.add(before.rankProbabilities());
                    probsAfter.add(after.rankProbabilities());
                    pairLabels.add(used.get(targets.get(k)).labels());
                    hitsBefore += before.top(depth - 1) == truth ? 1 : 0;
                    hitsAfter += after.top(depth - 1) == truth ? 1 : 0;
                    changed += before.top(depth - 1) != after.top(depth - 1) ? 1 : 0;
                    toDonor += after.top(depth - 1) == donorSpecies ? 1 : 0;
                    if (!after.attention().isEmpty()) {
                        attentionBefore += AttentionMap.meanFractionInside(before.attention(), masks.get(j), size,
                                size).orElse(0);
                        attentionAfter += AttentionMap.meanFractionInside(after.attention(), masks.get(j), size,
                                size).orElse(0);
                        attentionCount++;
                    }
                }
            }
        }
        out.put("n", n);
        out.put("top1Original", EvaluationReport.value(n == 0 ? Double.NaN : (double) hitsBefore / n));
        out.put("top1Swapped", EvaluationReport.value(n == 0 ? Double.NaN : (double) hitsAfter / n));
        out.put("drop", EvaluationReport.value(n == 0 ? Double.NaN : (double) (hitsBefore - hitsAfter) / n));
        out.put("predictionChanged", EvaluationReport.value(n == 0 ? Double.NaN : (double) changed / n));
        out.put("predictedDonorSpecies", EvaluationReport.value(n == 0 ? Double.NaN : (double) toDonor / n));
        out.put("attentionInMaskOriginal",
                EvaluationReport.value(attentionCount == 0 ? Double.NaN : attentionBefore / attentionCount));
        out.put("attentionInMaskSwapped",
                EvaluationReport.value(attentionCount == 0 ? Double.NaN : attentionAfter / attentionCount));
        for (int r = 0; r < depth; r++) {
            out.put(bundle.taxonomy().ranks().get(r), swapAccuracy(r, probsBefore, probsAfter, pairLabels));
        }
        if (outputDir != null && !examples.isEmpty()) {
            writeExamples(examples, outputDir.resolve("background-swap-examples.png"));
        }
        return out;
    }

    // Accuracy on the composites at one rank, beside the same images' original top-1 so the drop reads per rank.
    private static Map<String, Object> swapAccuracy(int rank, List<double[][]> before, List<double[][]> after,
            List<int[]> labels) {
        int n = labels.size();
        double[][] pBefore = new double[n][];
        double[][] pAfter = new double[n][];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            pBefore[i] = before.get(i)[rank];
            pAfter[i] = after.get(i)[rank];
            truth[i] = labels.get(i)[rank];
        }
        Map<String, Object> entry = EvaluationReport.map();
        entry.put("top1", EvaluationReport.value(RankAccuracy.topK(pAfter, truth, 1)));
        entry.put("top3", EvaluationReport.value(RankAccuracy.topK(pAfter, truth, 3)));
        entry.put("top1Original", EvaluationReport.value(RankAccuracy.topK(pBefore, truth, 1)));
        entry.put("n", RankAccuracy.counted(truth));
        return entry;
    }

    // Pairs (original | swapped) in rows, so a person can check the compositing at a glance.
    private static void writeExamples(List<BufferedImage> images, Path file) throws IOException {
        int cell = 128;
        int rows = images.size() / 2;
        BufferedImage sheet = new BufferedImage(2 * cell, rows * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % 2) * cell, (i / 2) * cell, cell, cell, null);
        }
        g.dispose();
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(sheet, "png", file.toFile());
    }

    private BufferedImage decode(Path file, String id, List<Map<String, Object>> skipped) {
        try {
            return decoder.decode(file);
        } catch (ImageRejectedException e) {
            skipped.add(Map.of("id", id, "file", file.toString(), "reason", e.reason().name()));
        } catch (IOException e) {
            skipped.add(Map.of("id", id, "file", file.toString(), "reason", "UNREADABLE: " + e.getMessage()));
        }
        return null;
    }

    private static void checkLabels(Sample s, Taxonomy taxonomy) {
        if (s.labels().length != taxonomy.depth()) {
            throw new IllegalArgumentException("sample " + s.id() + " has " + s.labels().length
                    + " rank labels but the model's taxonomy has " + taxonomy.depth()
                    + " ranks: load the dataset with the bundle's taxonomy");
        }
        for (int r = 0; r < taxonomy.depth(); r++) {
            if (s.label(r) >= taxonomy.size(r)) {
                throw new IllegalArgumentException("sample " + s.id() + " label " + s.label(r) + " at rank "
                        + taxonomy.ranks().get(r) + " is not in the model's taxonomy");
            }
        }
    }
}
