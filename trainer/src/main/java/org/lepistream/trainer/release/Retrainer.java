package org.lepistream.trainer.release;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.lepistream.schemas.ModelRelease;
import org.lepistream.schemas.Verdict;
import org.lepistream.trainer.TrainerConfig;
import org.lepistream.trainer.ops.TrainerMetrics;
import org.lepistream.trainer.sampling.AdaptiveWeights;
import org.lepistream.trainer.sampling.WeightClass;
import org.lepistream.trainer.sampling.WeightFormula;
import org.lepistream.trainer.store.DatasetStore;
import org.lepistream.trainer.store.TrainingExample;
import org.lepistream.vision.bundle.BundleManifest;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.DatasetOptions;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.data.SampleCache;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.decision.routing.Calibration;
import org.lepistream.decision.taxonomy.Taxonomy;
import org.lepistream.vision.training.ClassifierTrainer;
import org.lepistream.vision.training.EpochSampler;
import org.lepistream.vision.training.LossKind;
import org.lepistream.vision.training.NoButterflyTuning;
import org.lepistream.vision.training.Preset;
import org.lepistream.vision.training.StratifiedSubset;
import org.lepistream.vision.training.TrainConfig;
import org.lepistream.vision.training.TrainingRun;
import org.lepistream.vision.training.TrainedClassifier;
import org.lepistream.vision.training.Variant;
import org.lepistream.vision.training.WarmStart;

/**
 * Decides when to retrain and whether a candidate ships: trains a candidate classifier on the base set plus the
 * expert-labelled examples (drawn by adaptive weight or uniformly), recalibrates its routing thresholds, scores it and
 * the current model on the fixed validation set, and releases it (bundle in the model store + ModelRelease) only if
 * the {@link Gate} passes. Every decision is checkpointed in {@link TrainerState}.
 */
public final class Retrainer implements AutoCloseable {

    /** What one round did. */
    public record Round(int round, String candidateVersion, boolean released, String refusal, ModelScore current,
            ModelScore candidate, int trainImages, int labelledImages, Map<String, Integer> drawsByClass,
            double seconds) {
    }

    private final TrainerConfig config;
    private final DatasetStore store;
    private final TrainerMetrics metrics;
    private final Publisher publisher;
    private final PrintStream log;
    private final Path stateFile;
    private TrainerState state;
    private ModelBundle current;
    /** How many NOT_A_BUTTERFLY photos there were when this run's last segmenter tuning was refused (0: none). */
    private int tuningRefusedAt;
    private Scorer scorer;
    private final Map<String, ModelScore> scores = new HashMap<>();
    private final long startedAt = System.currentTimeMillis();

    public Retrainer(TrainerConfig config, DatasetStore store, TrainerMetrics metrics, Publisher publisher,
            PrintStream log) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.publisher = publisher;
        this.log = log;
        this.stateFile = config.workDir().resolve("state.json");
    }

    /**
     * Finds the model to improve on (checkpoint, else the latest release on the topic, else the initial bundle),
     * finishes a release that a crash interrupted, and loads the validation set.
     */
    public synchronized void start() {
        state = TrainerState.load(stateFile);
        if (state == null || state.currentBundle() == null || !Files.isDirectory(Path.of(state.currentBundle()))) {
            Optional<ModelRelease> released = publisher.latest(config.modelName());
            Path dir;
            Map<String, Double> thresholds;
            if (released.isPresent() && Files.isDirectory(locate(released.get().getBundleUri()))) {
                dir = locate(released.get().getBundleUri());
                thresholds = released.get().getThresholds();
            } else if (config.initialModel() != null) {
                dir = config.initialModel();
                thresholds = null;
            } else {
                throw new IllegalStateException("no model to start from: no release of " + config.modelName()
                        + " on " + config.releasesTopic() + " and lepistream.model.initial is not set");
            }
            ModelBundle bundle = ModelBundle.load(dir);
            String version = bundle.manifest().version();
            Map<String, Double> t = thresholds == null ? bundle.manifest().thresholds() : thresholds;
            bundle.close();
            state = new TrainerState(version, dir.toString(), new LinkedHashMap<>(t), store.trainable().size(), 0, 0,
                    null);
            state.save(stateFile);
        }
        current = ModelBundle.load(Path.of(state.currentBundle()));
        metrics.currentVersion(() -> state.currentVersion());
        if (state.pending() != null) {
            log.println("trainer: publishing release " + state.pending().version() + " decided before a restart");
            finishRelease(state.pending());
        }
        Taxonomy taxonomy = current.taxonomy();
        Dataset validation = Dataset.load(config.validationData(), DatasetOptions.defaults().withTaxonomy(taxonomy));
        List<Sample> val = validation.split(config.validationSplit());
        scorer = new Scorer(val);
        log.printf("trainer: current model %s; validation set %d photos (%s, split %s)%n", state.currentVersion(),
                val.size(), config.validationData(), config.validationSplit());
    }

    public synchronized String currentVersion() {
        return state.currentVersion();
    }

    public synchronized Taxonomy taxonomy() {
        return current.taxonomy();
    }

    /** New trainable labels since the last training started. */
    public synchronized int newLabels() {
        return Math.max(0, store.trainable().size() - state.labelsAtLastTraining());
    }

    /** Whether the policy (N new labels, or the period passed with at least one) asks for a training now. */
    public synchronized boolean due(long nowMillis) {
        return new RetrainPolicy(config.retrainLabels(), config.retrainPeriod()).due(newLabels(),
                state.lastTrainingAt(), startedAt, nowMillis);
    }

    /** The current model's score on the validation set with its own thresholds. */
    public synchronized ModelScore currentScore() {
        return scores.computeIfAbsent(state.currentVersion(),
                v -> Scorer.score(scorer.observe(current), current.taxonomy(), state.currentThresholds()));
    }

    /** Trains, gates and (maybe) releases one candidate. */
    public synchronized Round runRound() throws IOException {
        long started = System.nanoTime();
        Taxonomy taxonomy = current.taxonomy();
        int labelsNow = store.trainable().size();
        state = state.withTrainingStarted(labelsNow, System.currentTimeMillis());
        state.save(stateFile);
        int round = state.rounds();
        ModelScore before = currentScore();

        // Training set: the base split plus every trainable expert example (store ids prefixed: they may collide).
        List<Sample> train = new ArrayList<>();
        Map<String, WeightClass> outcome = new HashMap<>();
        DatasetOptions opts = DatasetOptions.defaults().withTaxonomy(taxonomy);
        if (config.baseData() != null) {
            List<Sample> base = Dataset.load(config.baseData(), opts).split(config.baseSplit());
            train.addAll(config.baseFraction() >= 1.0 ? base
                    : StratifiedSubset.of(base, Sample::leaf, config.baseFraction(), config.seed()));
        }
        int labelled = 0;
        List<Sample> audited = new ArrayList<>();
        if (!store.trainable().isEmpty()) {
            store.writeLabels(taxonomy.ranks());
            Map<String, TrainingExample> byId = new HashMap<>();
            store.trainable().forEach(e -> byId.put(e.id(), e));
            for (Sample s : Dataset.load(store.root(), opts).samples()) {
                String id = "expert-" + s.id();
                TrainingExample e = byId.get(s.id());
                if (e != null && e.audit()) {
                    audited.add(s); // measures the candidate below; training on it would flatter the candidate
                    continue;
                }
                outcome.put(id, e == null || e.weightClass() == null ? WeightClass.NEUTRAL
                        : WeightClass.valueOf(e.weightClass().toUpperCase(Locale.ROOT).replace('-', '_')));
                train.add(new Sample(id, s.image(), s.mask(), s.leaf(), s.labels(), s.split()));
                labelled++;
            }
        }
        ClassifierConfig net = current.manifest().classifier();
        SampleCache cache = SampleCache.build(train, (int) Math.round(net.inputSize() * TrainingRun.CACHE_OVERSIZE));
        if (cache.size() < 2) {
            throw new IllegalStateException("fewer than 2 usable training photos (" + cache.size() + ")");
        }
        WeightFormula formula = config.weights();
        List<AdaptiveWeights.Item> items = new ArrayList<>();
        for (SampleCache.Entry e : cache.entries()) {
            items.add(new AdaptiveWeights.Item(labelClass(e.sample()),
                    outcome.getOrDefault(e.sample().id(), WeightClass.NEUTRAL)));
        }
        double[] weights = AdaptiveWeights.compute(items, formula);
        Map<String, Integer> draws = expectedDraws(items, weights);
        Path runDir = config.workDir().resolve("runs").resolve(String.format(Locale.ROOT, "round-%03d", round));
        writeWeights(runDir.resolve("weights.csv"), cache, items, weights);
        log.printf(Locale.ROOT, "trainer: round %d: %d photos (%d expert-labelled), sampling %s (%s), expected draws "
                + "per epoch by class %s%n", round, cache.size(), labelled, config.sampling(), formula, draws);

        TrainConfig tc = TrainConfig.builder(Preset.QUICK).variant(net.cbam() ? Variant.CBAM : Variant.RESNET)
                .loss(LossKind.WCE).epochs(config.epochs()).batchSize(config.batchSize())
                .learningRate(config.learningRate()).patience(config.epochs() + 1).seed(config.seed() + round)
                .threads(config.threads()).inputSize(net.inputSize()).segmenterEpochs(0).build();
        ClassifierTrainer trainer = new ClassifierTrainer(tc, taxonomy, net).withProgress((PrintStream) null)
                .withSampler(config.sampling() != TrainerConfig.Sampling.UNIFORM ? EpochSampler.weighted(weights)
                        : EpochSampler.shuffle());
        if (config.mode() == TrainerConfig.Mode.FINETUNE) {
            trainer.withWarmStart(block -> WarmStart.copy(current.classifier(), block, state.currentVersion()));
        }
        // No validation during training: the validation set is the gate's, and choosing epochs on it would flatter
        // the candidate. The epoch with the lowest training loss is kept.
        SampleCache noVal = SampleCache.build(List.of(), net.inputSize());
        List<Sample> emptyPhotos = notButterflies(taxonomy);
        try (TrainedClassifier trained = trainer.train(cache, noVal);
                SegmenterTuning.Choice seg = config.segmenterTuning().choose(current.segmenter(),
                        tunedOn(current), tuningRefusedAt, train, emptyPhotos, scorer.samples(), log)) {
            log.printf("trainer: round %d: %s%n", round, seg.note());
            if (seg.outcome() == SegmenterTuning.Outcome.REFUSED) {
                tuningRefusedAt = emptyPhotos.size();
            }
            Classifier classifier = (Classifier) trained.model().getBlock();
            BundleManifest manifest = BundleManifest.create(config.modelName(), taxonomy, net,
                    current.manifest().segmenter()).withParentVersion(state.currentVersion());
            ModelBundle candidate = ModelBundle.of(manifest, taxonomy, classifier, seg.segmenter());
            List<Calibration.Observation> obs = scorer.observe(candidate);
            Map<String, Double> thresholds = recalibrate(obs, taxonomy);
            ModelScore after = Scorer.score(obs, taxonomy, thresholds);
            Optional<Gate.Refusal> refusal = config.gate().judge(before, after);
            if (refusal.isEmpty()) {
                refusal = judgeLive(round, audited, candidate, thresholds, taxonomy);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (refusal.isPresent()) {
                metrics.trainings.inc("rejected");
                metrics.rejections.inc(refusal.get().metric());
                log.printf("trainer: round %d: candidate %s REJECTED: %s (candidate %s; current %s)%n", round,
                        manifest.version(), refusal.get().reason(), after, before);
                appendHistory(round, manifest.version(), false, refusal.get().reason(), before, after, cache.size(),
                        labelled, seconds);
                return new Round(round, manifest.version(), false, refusal.get().reason(), before, after, cache.size(),
                        labelled, draws, seconds);
            }
            Map<String, Object> bundleMetrics = new LinkedHashMap<>(after.asMetrics());
            bundleMetrics.put("trainImages", cache.size());
            bundleMetrics.put("expertImages", labelled);
            bundleMetrics.put("sampling", config.sampling().name().toLowerCase(Locale.ROOT));
            bundleMetrics.put("segmenterTuned", seg.tuned());
            bundleMetrics.put(SegmenterTuning.TUNED_ON_METRIC, seg.tunedOn());
            Path out = config.modelStore().resolve(manifest.version());
            ModelBundle.of(manifest.withThresholds(thresholds).withMetrics(bundleMetrics), taxonomy, classifier,
                    seg.segmenter()).save(out);
            TrainerState.PendingRelease pending = new TrainerState.PendingRelease(manifest.version(), out.toString(),
                    thresholds, after.asMetrics(), state.currentVersion(), System.currentTimeMillis());
            state = state.withPending(pending);
            state.save(stateFile);
            finishRelease(pending);
            scores.put(pending.version(), after);
            metrics.trainings.inc("released");
            log.printf("trainer: round %d: RELEASED %s (candidate %s; previous %s)%n", round, pending.version(), after,
                    before);
            appendHistory(round, pending.version(), true, "", before, after, cache.size(), labelled, seconds);
            return new Round(round, pending.version(), true, null, before, after, cache.size(), labelled, draws,
                    seconds);
        } catch (RuntimeException e) {
            metrics.trainings.inc("failed");
            throw e;
        }
    }

    /**
     * The live check of the gate, on the audited photos with each model's own thresholds; empty when it passes or
     * there are too few audits to say anything (logged either way).
     */
    private Optional<Gate.Refusal> judgeLive(int round, List<Sample> audited, ModelBundle candidate,
            Map<String, Double> thresholds, Taxonomy taxonomy) {
        LiveGate live = config.liveGate();
        if (!live.applies(audited.size())) {
            log.printf("trainer: round %d: live check skipped (%d audited photos, %d needed)%n", round,
                    audited.size(), live.minAudits());
            return Optional.empty();
        }
        Scorer audits = new Scorer(audited);
        ModelScore currentLive = Scorer.score(audits.observe(current), taxonomy, state.currentThresholds());
        ModelScore candidateLive = Scorer.score(audits.observe(candidate), taxonomy, thresholds);
        log.printf("trainer: round %d: on %d audited live photos: candidate %s; current %s%n", round, audited.size(),
                candidateLive, currentLive);
        return live.judge(currentLive, candidateLive);
    }

    /** How many NOT_A_BUTTERFLY photos the bundle's segmenter has learned from (0 for bundles before the metric). */
    private static int tunedOn(ModelBundle bundle) {
        Map<String, Object> metrics = bundle.manifest().metrics();
        return metrics != null && metrics.get(SegmenterTuning.TUNED_ON_METRIC) instanceof Number n ? n.intValue() : 0;
    }

    /** Photos experts marked NOT_A_BUTTERFLY (what the segmenter's tuning learns "empty" from). */
    private List<Sample> notButterflies(Taxonomy taxonomy) {
        List<Path> photos = store.examples().stream()
                .filter(e -> Verdict.NOT_A_BUTTERFLY.name().equals(e.verdict()) && e.image() != null)
                .map(e -> store.root().resolve(e.image())).toList();
        return NoButterflyTuning.emptyPhotos(photos, taxonomy.depth());
    }

    /** Publishes a decided release and makes it the current model (idempotent: safe to repeat after a crash). */
    private void finishRelease(TrainerState.PendingRelease p) {
        publisher.publish(Publisher.record(config.modelName(), p));
        metrics.releases.inc();
        ModelBundle next = ModelBundle.load(Path.of(p.bundle()));
        ModelBundle previous = current;
        current = next;
        if (previous != null) {
            previous.close();
        }
        state = state.withCurrent(p.version(), p.bundle(), p.thresholds()).withPending(null);
        state.save(stateFile);
    }

    /** Thresholds calibrated on the validation photos; the current ones when calibration is impossible. */
    private Map<String, Double> recalibrate(List<Calibration.Observation> obs, Taxonomy taxonomy) {
        try {
            return new TreeMap<>(Calibration.calibrate(obs, taxonomy, config.calibrationTarget()).releaseThresholds());
        } catch (IllegalArgumentException e) {
            log.println("trainer: thresholds not recalibrated (" + e.getMessage() + "); keeping the current ones");
            return new TreeMap<>(state.currentThresholds());
        }
    }

    private Path locate(String bundleUri) {
        if (bundleUri.startsWith("file:")) {
            return Path.of(URI.create(bundleUri));
        }
        return config.modelStore().resolve(bundleUri);
    }

    /** The deepest labelled node, as "rank:index" (the class of class balancing). */
    static String labelClass(Sample s) {
        int[] labels = s.labels();
        for (int r = labels.length - 1; r >= 0; r--) {
            if (labels[r] >= 0) {
                return r + ":" + labels[r];
            }
        }
        return "none";
    }

    /** Expected draws per epoch by weight class (sum of normalised weights), for the log and the report. */
    private static Map<String, Integer> expectedDraws(List<AdaptiveWeights.Item> items, double[] w) {
        Map<String, Double> sum = new TreeMap<>();
        for (int i = 0; i < w.length; i++) {
            sum.merge(items.get(i).outcome().label(), w[i], Double::sum);
        }
        Map<String, Integer> out = new TreeMap<>();
        sum.forEach((k, v) -> out.put(k, (int) Math.round(v)));
        return out;
    }

    private static void writeWeights(Path file, SampleCache cache, List<AdaptiveWeights.Item> items, double[] w)
            throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder sb = new StringBuilder("id,class,weight_class,weight\n");
        for (int i = 0; i < w.length; i++) {
            sb.append(cache.get(i).sample().id()).append(',').append(items.get(i).labelClass()).append(',')
                    .append(items.get(i).outcome().label()).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", w[i])).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private void appendHistory(int round, String version, boolean released, String reason, ModelScore before,
            ModelScore after, int images, int labelled, double seconds) {
        Path file = config.workDir().resolve("rounds.csv");
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, "round,at,candidate,released,reason,train_images,expert_images,"
                        + "current_top1,current_severity,current_precision,current_review_rate,"
                        + "candidate_top1,candidate_severity,candidate_precision,candidate_review_rate,seconds\n");
            }
            String line = String.format(Locale.ROOT, "%d,%s,%s,%s,\"%s\",%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,"
                    + "%.1f%n", round, Instant.now(), version, released, reason.replace("\"", "'"), images, labelled,
                    before.speciesTop1(), before.mistakeSeverity(), before.acceptedPrecision(), before.reviewRate(),
                    after.speciesTop1(), after.mistakeSeverity(), after.acceptedPrecision(), after.reviewRate(),
                    seconds);
            Files.writeString(file, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
        }
    }
}
