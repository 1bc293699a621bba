package org.lepistream.vision.training;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lepistream.vision.bundle.BundleManifest;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.DatasetOptions;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.data.SampleCache;
import org.lepistream.vision.evaluation.EvaluationReport;
import org.lepistream.vision.evaluation.Evaluator;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * The whole {@code train} command: load the dataset, train the segmenter on a fraction of the train masks, train the
 * classifier, evaluate the kept epoch on val and write a model bundle (with its val metrics, placeholder routing
 * thresholds and a {@code <variant>-<yyyyMMddHHmmss>-<seed>} version id), plus reports under {@code evaluation/} and
 * {@code training/} inside the bundle folder.
 */
public final class TrainingRun {
    /** Name recorded in every bundle this trainer writes. */
    public static final String MODEL_NAME = "lepistream-butterflies";
    private static final DateTimeFormatter VERSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    /**
     * Segmenter input side. Its full-resolution convolutions make the U-Net ~5x costlier per image than the
     * classifier at 128 px (6 vs 33 training img/s on one core); at 64 px it trains 4x faster, and its masks only
     * need to resolve the attention maps (32x32 at most).
     */
    public static final int SEGMENTER_INPUT = 64;
    /** Training images are cached this much larger than the input so random crops keep their detail. */
    public static final double CACHE_OVERSIZE = 1.25;

    private final TrainConfig config;
    private final PrintStream log;
    private String parentVersion;
    private Path lastEpochTo;

    public TrainingRun(TrainConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    /** Records the release this run fine-tunes (written as the bundle's parentVersion). */
    public TrainingRun withParentVersion(String version) {
        this.parentVersion = version;
        return this;
    }

    /**
     * Also writes the schedule's last epoch as a second bundle into {@code dir} (the same as the kept one when the
     * run keeps the last, or the best was the last): an experiment's way to compare keeping the best with keeping
     * the last on photos nothing chose from.
     */
    public TrainingRun withLastEpochTo(Path dir) {
        this.lastEpochTo = dir;
        return this;
    }

    /** What a run produced. */
    public record Result(Path bundleDir, String version, EvaluationReport validation, TrainingHistory history,
            TrainedSegmenterSummary segmenter) {
    }

    /** Segmenter facts kept after its native memory is freed. */
    public record TrainedSegmenterSummary(int trainedOn, double valIoU, double seconds) {
    }

    /** The classifier shape for this run: the preset's network, the variant's CBAM flag, the input-size override. */
    public static ClassifierConfig classifierConfig(TrainConfig config, int leaves) {
        ClassifierConfig c = config.preset() == Preset.FULL ? ClassifierConfig.defaults(leaves)
                : ClassifierConfig.quick(leaves);
        c = c.withCbam(config.variant().cbam());
        return config.inputSize() > 0 ? c.withInputSize(config.inputSize()) : c;
    }

    /**
     * The segmenter shape for this run: the preset's U-Net at {@link #SEGMENTER_INPUT} px, or at the input-size
     * override when that is smaller.
     */
    public static SegmenterConfig segmenterConfig(TrainConfig config) {
        SegmenterConfig s = config.preset() == Preset.FULL ? SegmenterConfig.defaults() : SegmenterConfig.quick();
        int size = config.inputSize() > 0 ? Math.min(config.inputSize(), SEGMENTER_INPUT) : SEGMENTER_INPUT;
        return s.withInputSize(size);
    }

    /** Trains and writes the bundle into {@code out}, which must not exist or be empty. */
    public Result run(Path dataDir, Path out) throws IOException {
        for (Path dir : lastEpochTo == null ? List.of(out) : List.of(out, lastEpochTo)) {
            if (Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
                throw new IllegalArgumentException("output " + dir + " already exists and is not an empty folder: "
                        + "bundles are never overwritten");
            }
        }
        long started = System.nanoTime();
        Dataset dataset = Dataset.load(dataDir, DatasetOptions.defaults());
        if (dataset.report().skippedCount() > 0 || !dataset.report().droppedMasks().isEmpty()) {
            log.println(dataset.report().summary());
        }
        Taxonomy taxonomy = dataset.taxonomy();
        List<Sample> allTrain = dataset.split("train");
        List<Sample> val = dataset.split("val");
        if (allTrain.isEmpty()) {
            throw new IllegalArgumentException("dataset " + dataDir + " has no 'train' split (splits: "
                    + dataset.splits() + ")");
        }
        if (val.isEmpty()) {
            log.println("warning: no 'val' split: early stopping falls back to the training loss and no val metrics"
                    + " are recorded");
        }
        List<Sample> train = StratifiedSubset.of(allTrain, Sample::leaf, config.trainFraction(), config.seed());
        ClassifierConfig net = classifierConfig(config, taxonomy.leafCount());
        ModelBundle segmenterSource = config.segmenterFrom() == null ? null : segmenterSource(config.segmenterFrom());
        SegmenterConfig segNet = segmenterSource != null ? segmenterSource.manifest().segmenter()
                : segmenterConfig(config);
        log.printf(Locale.ROOT, "[%s] data: %d train images (%s of %d), %d val, %d species; %s%n", since(started),
                train.size(), config.trainFraction(), allTrain.size(), val.size(), taxonomy.leafCount(),
                config.summary());

        int cacheSize = (int) Math.round(Math.max(net.inputSize(), segNet.inputSize()) * CACHE_OVERSIZE);
        SampleCache trainCache = SampleCache.build(train, cacheSize);
        SampleCache valCache = SampleCache.build(val, net.inputSize());
        reportCacheFailures(trainCache);
        reportCacheFailures(valCache);

        TrainedSegmenter segmenter = null;
        Segmenter reused = segmenterSource == null ? null : segmenterSource.segmenter().orElseThrow();
        TrainedSegmenterSummary segSummary = null;
        Map<String, BufferedImage> predicted = Map.of();
        List<Sample> masked = train.stream().filter(Sample::hasMask).toList();
        if (reused != null) {
            log.printf(Locale.ROOT, "[%s] segmenter: reused from %s (version %s, %d px)%n", since(started),
                    config.segmenterFrom(), segmenterSource.manifest().version(), segNet.inputSize());
            if (config.variant().guided()) {
                predicted = SegmenterTrainer.predictMissing(reused, trainCache);
                log.printf("segmenter masks stand in for %d train images without a hand mask%n", predicted.size());
            }
        } else if (config.segmenterFraction() > 0 && config.segmenterEpochs() > 0 && masked.size() >= 2) {
            List<Sample> segTrain = StratifiedSubset.of(masked, Sample::leaf, config.segmenterFraction(),
                    config.seed());
            if (segTrain.size() < 2) {
                segTrain = masked.subList(0, 2);
            }
            log.printf(Locale.ROOT, "[%s] segmenter: training on %d of %d train masks%n", since(started),
                    segTrain.size(), masked.size());
            SampleCache segCache = SampleCache.build(segTrain, cacheSize);
            SampleCache segVal = segNet.inputSize() == net.inputSize() ? valCache
                    : SampleCache.build(val, segNet.inputSize());
            segmenter = new SegmenterTrainer(segNet, config.segmenterEpochs(), Math.min(8, segTrain.size()), 2e-3,
                    config.seed()).withProgress(log).train(segCache, segVal);
            segSummary = new TrainedSegmenterSummary(segmenter.trainedOn(), segmenter.valIoU(), segmenter.seconds());
            if (config.variant().guided()) {
                predicted = SegmenterTrainer.predictMissing(segmenter, trainCache);
                if (!predicted.isEmpty()) {
                    log.printf("segmenter masks stand in for %d train images without a hand mask%n",
                            predicted.size());
                }
            }
        } else {
            log.println("segmenter: not trained (no masks, or --segmenter-fraction / segmenter epochs is 0); a bundle"
                    + " without one cannot route on Over-CAM: --segmenter-from BUNDLE reuses another model's");
        }
        if (config.variant().guided() && masked.isEmpty() && predicted.isEmpty()) {
            throw new IllegalArgumentException("variant cbam-guided needs butterfly masks: the dataset has none and "
                    + "no segmenter was trained (reuse one with --segmenter-from BUNDLE)");
        }

        log.printf(Locale.ROOT, "[%s] classifier: %d px, %s%n", since(started), net.inputSize(),
                net.cbam() ? "CBAM" : "no CBAM");
        ClassifierTrainer trainer = new ClassifierTrainer(config, taxonomy, net).withPredictedMasks(predicted)
                .withProgress(log);
        if (lastEpochTo != null) {
            trainer.withLastEpochSnapshot();
        }
        if (config.budgeted()) {
            // What the classifier may spend: the budget less what ran before it and what runs after it (the
            // temperature fit and the final evaluation: two forward passes over val, ~100 img/s on two cores).
            double after = (5 + 2.0 * val.size() / 100) * (lastEpochTo != null ? 2 : 1);
            double left = config.timeBudget().toMillis() / 1000.0 - (System.nanoTime() - started) / 1e9 - after;
            if (left < 10) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "time budget %s leaves %.0f s for the"
                        + " classifier after loading and the segmenter: give a larger --time-budget",
                        ProgressLine.duration(config.timeBudget().toSeconds()), left));
            }
            trainer.withBudget(java.time.Duration.ofMillis((long) (left * 1000)));
            log.printf(Locale.ROOT, "[%s] classifier budget: %s (a cosine over wall time: it ends when the budget does)%n",
                    since(started), ProgressLine.duration(left));
        }
        if (config.pretrainedBackbone() != null) {
            Path source = config.pretrainedBackbone();
            trainer.withWarmStart(block -> {
                WarmStart.Report r = WarmStart.copyInto(block, net, source);
                log.printf("warm start from %s: %d parameters copied, %d kept fresh%n", r.source(), r.copied(),
                        r.skipped());
            });
        }
        try (TrainedClassifier classifier = trainer.train(trainCache, valCache)) {
            TrainingHistory history = classifier.history();
            log.printf(Locale.ROOT, "[%s] classifier: %s; kept epoch %d (val species top-1 %.3f), %.1f img/s, %s%n",
                    since(started), history.stopReason(), history.bestEpoch(), history.best().valLeafTop1(),
                    history.meanImagesPerSecond(), ProgressLine.duration(history.totalSeconds()));

            Instant now = Instant.now();
            String version = config.variant().label() + "-" + VERSION_TIME.format(now) + "-" + config.seed();
            Segmenter segBlock = reused != null ? reused
                    : segmenter == null ? null : (Segmenter) segmenter.model().getBlock();
            Kept kept = new Kept(taxonomy, net, segBlock, segNet, val, history, segSummary, train.size(), started);
            Classifier block = (Classifier) classifier.model().getBlock();
            EvaluationReport report = writeBundle(kept, block, version, out);
            if (lastEpochTo != null) {
                if (classifier.lastEpoch() != null) {
                    classifier.lastEpoch().restore(block, classifier.model().getNDManager());
                }
                log.printf(Locale.ROOT, "[%s] the schedule's last epoch (%d), as a second bundle:%n", since(started),
                        history.epochs().get(history.epochs().size() - 1).epoch());
                writeBundle(kept, block, version + "-last", lastEpochTo);
            }
            return new Result(out, version, report, history, segSummary);
        } finally {
            if (segmenter != null) {
                segmenter.close();
            }
            if (segmenterSource != null) {
                segmenterSource.close();
            }
        }
    }

    /** What every bundle of this run shares, whichever epoch's parameters it holds. */
    private record Kept(Taxonomy taxonomy, ClassifierConfig net, Segmenter segmenter, SegmenterConfig segNet,
            List<Sample> val, TrainingHistory history, TrainedSegmenterSummary segSummary, int trainImages,
            long started) {
    }

    /** Fits the temperature for these parameters, evaluates them on val and writes the bundle with its reports. */
    private EvaluationReport writeBundle(Kept k, Classifier classifier, String version, Path out) throws IOException {
        Taxonomy taxonomy = k.taxonomy();
        List<Sample> val = k.val();
        long started = k.started();
        Segmenter segBlock = k.segmenter();
        BundleManifest base = BundleManifest.create(MODEL_NAME, taxonomy, k.net(), segBlock == null ? null
                : k.segNet());
        BundleManifest manifest = new BundleManifest(base.formatVersion(), base.modelName(), version,
                base.createdAt(), base.classifier(), base.segmenter(), base.preprocessing(), base.ranks(),
                placeholderThresholds(taxonomy), Map.of(), parentVersion, Map.of(), null, null)
                .withPolicy(placeholderPolicy(taxonomy));
        EvaluationReport report = null;
        Map<String, Object> metrics = new LinkedHashMap<>();
        Map<String, Object> calibration = null;
        if (config.fitTemperature() && !val.isEmpty()) {
            try (ModelBundle raw = ModelBundle.of(manifest, taxonomy, classifier, segBlock)) {
                Temperature t = Temperature.fit(raw, val);
                calibration = t.asMap();
                if (t.fitted()) {
                    manifest = manifest.withTemperature(t.temperature());
                    log.printf(Locale.ROOT, "[%s] temperature %.3f fitted on val: species ECE %.3f -> %.3f, NLL"
                            + " %.3f -> %.3f%n", since(started), t.temperature(), t.eceBefore(), t.eceAfter(),
                            t.nllBefore(), t.nllAfter());
                } else {
                    log.printf(Locale.ROOT, "[%s] temperature not fitted: %d species mistakes on val (at least %d"
                            + " are needed to say how over- or under-confident the model is)%n", since(started),
                            t.mistakes(), Temperature.MIN_MISTAKES);
                }
            }
        }
        try (ModelBundle bundle = ModelBundle.of(manifest, taxonomy, classifier, segBlock)) {
            if (calibration != null) {
                metrics.put("temperature", calibration);
            }
            if (!val.isEmpty()) {
                report = new Evaluator(bundle).evaluate(val);
                metrics.put("val", withoutSkipped(report.asMap()));
            }
            metrics.put("training", trainingFacts(k.trainImages(), val.size(), k.history(), k.segSummary(), started));
            metrics.put("thresholdsArePlaceholders", true);
            ModelBundle.of(manifest.withMetrics(metrics), taxonomy, bundle.classifier(),
                    bundle.segmenter().orElse(null)).save(out);
        }
        if (report != null) {
            Path evalDir = out.resolve("evaluation");
            report.writeJson(evalDir.resolve("val.json"));
            org.lepistream.vision.evaluation.PerClassTable.write(report.speciesConfusion(), evalDir, "per-class");
            report.speciesConfusion().writePng(evalDir.resolve("confusion-species.png"),
                    "species confusion on val (" + version + ")");
        }
        writeHistory(out.resolve("training").resolve("history.csv"), k.history(), taxonomy);
        log.printf("[%s] bundle %s written to %s%n", since(started), version, out);
        if (report != null) {
            log.print(report.summary());
        }
        return report;
    }

    private static ModelBundle segmenterSource(Path path) {
        ModelBundle source = ModelBundle.load(path);
        if (source.segmenter().isEmpty()) {
            source.close();
            throw new IllegalArgumentException("--segmenter-from " + path + ": that bundle has no segmenter");
        }
        return source;
    }

    /** The typed form of {@link #placeholderThresholds}: what a new bundle routes with until calibrated. */
    public static org.lepistream.decision.routing.RoutingPolicy placeholderPolicy(Taxonomy taxonomy) {
        return org.lepistream.decision.routing.RoutingPolicy.fromLegacy(taxonomy.ranks(),
                placeholderThresholds(taxonomy), org.lepistream.decision.routing.OverCam.Settings.DEFAULT);
    }

    private Map<String, Object> trainingFacts(int trainImages, int valImages, TrainingHistory history,
            TrainedSegmenterSummary seg, long started) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("config", config.summary());
        t.put("trainImages", trainImages);
        t.put("valImages", valImages);
        t.put("epochsRun", history.epochs().size());
        t.put("bestEpoch", history.bestEpoch());
        t.put("stopReason", history.stopReason());
        t.put("imagesPerSecond", round(history.meanImagesPerSecond()));
        t.put("meanEpochSeconds", round(history.meanEpochSeconds()));
        t.put("totalSeconds", round((System.nanoTime() - started) / 1e9));
        if (config.segmenterFrom() != null) {
            t.put("segmenterFrom", config.segmenterFrom().toString());
        }
        if (seg != null) {
            t.put("segmenterTrainImages", seg.trainedOn());
            t.put("segmenterValIoU", Double.isFinite(seg.valIoU()) ? round(seg.valIoU()) : null);
        }
        return t;
    }

    private static void writeHistory(Path file, TrainingHistory history, Taxonomy taxonomy) throws IOException {
        Files.createDirectories(file.getParent());
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder("epoch,train_loss");
        taxonomy.ranks().forEach(r -> header.append(",val_top1_").append(r));
        header.append(",seconds,images_per_second,learning_rate,kept");
        lines.add(header.toString());
        for (EpochStats e : history.epochs()) {
            StringBuilder sb = new StringBuilder();
            sb.append(e.epoch()).append(',').append(fmt(e.trainLoss()));
            for (int r = 0; r < taxonomy.depth(); r++) {
                sb.append(',').append(r < e.valTop1().length ? fmt(e.valTop1()[r]) : "");
            }
            sb.append(',').append(fmt(e.seconds())).append(',').append(fmt(e.imagesPerSecond())).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", e.learningRate())).append(',')
                    .append(e.epoch() == history.bestEpoch());
            lines.add(sb.toString());
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private void reportCacheFailures(SampleCache cache) {
        if (!cache.failures().isEmpty()) {
            log.printf("%d images or masks could not be decoded and were left out or used without mask:%n",
                    cache.failures().size());
            cache.failures().stream().limit(10).forEach(p -> log.println("  " + p));
        }
    }

    private static Map<String, Object> withoutSkipped(Map<String, Object> tree) {
        Map<String, Object> copy = new LinkedHashMap<>(tree);
        copy.remove("skipped");
        copy.remove("model");
        return copy;
    }

    /**
     * Routing thresholds written into new bundles: {@code <rank>.minProbability} per rank and
     * {@code attentionInMask.min}. They are placeholders (0.5 everywhere) until the streaming work calibrates them on
     * held-out data; nothing here tunes them.
     */
    public static Map<String, Double> placeholderThresholds(Taxonomy taxonomy) {
        Map<String, Double> t = new LinkedHashMap<>();
        taxonomy.ranks().forEach(r -> t.put(r + ".minProbability", 0.5));
        t.put("attentionInMask.min", 0.5);
        return java.util.Collections.unmodifiableMap(t);
    }

    private static String since(long startNanos) {
        return ProgressLine.duration((System.nanoTime() - startNanos) / 1e9);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "";
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
