package org.lepistream.vision.training;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.lepistream.vision.data.Augmenter;
import org.lepistream.vision.data.ImageTensors;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.data.SampleCache;
import org.lepistream.vision.loss.Hierarchy;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.decision.taxonomy.Taxonomy;

/**
 * Trains the species classifier: a GradientCollector loop over augmented batches (one NDManager per step so native
 * memory stays flat), SGD/Adam with warm-up + cosine learning rate, validation every epoch (or, with a time budget,
 * at the cadence of {@link EpochPlan}), early stopping on val species top-1 unless the run is budgeted, and the best
 * (or the last) epoch kept. With a time budget the cosine runs over wall time and the run ends when it is spent. The next batch is augmented on a helper thread while the current one trains.
 *
 * <p>Hooks for the adaptive trainer: per-sample loss weights ({@link #withSampleWeights}) and the epoch sampler
 * ({@link #withSampler}), e.g. to draw expert-labelled hard cases more often.
 */
public final class ClassifierTrainer {
    private static final int EVAL_BATCH = 64;

    private final TrainConfig config;
    private final Taxonomy taxonomy;
    private final Hierarchy hierarchy;
    private final ClassifierConfig network;
    private final Objective objective;
    private ToDoubleFunction<Sample> sampleWeights;
    private EpochSampler sampler = EpochSampler.shuffle();
    private Map<String, BufferedImage> predictedMasks = Map.of();
    private Augmenter augmenter = new Augmenter();
    private Consumer<Block> warmStart;
    private ProgressLine progress = new ProgressLine(System.err);
    private java.time.Duration budget;
    private boolean snapshotLast;
    /** The run's length in epochs: the config's, or what the time budget affords once measured. */
    private int plannedEpochs;

    /**
     * @param network the classifier's shape; its leaf count must match the taxonomy and its CBAM flag the variant
     */
    public ClassifierTrainer(TrainConfig config, Taxonomy taxonomy, ClassifierConfig network) {
        this.config = config;
        this.taxonomy = taxonomy;
        this.hierarchy = new Hierarchy(taxonomy);
        if (network.leafCount() != taxonomy.leafCount()) {
            throw new IllegalArgumentException("classifier has " + network.leafCount() + " outputs but the taxonomy "
                    + taxonomy.leafCount() + " leaves");
        }
        if (config.variant().cbam() != network.cbam()) {
            throw new IllegalArgumentException("variant " + config.variant() + (config.variant().cbam()
                    ? " needs" : " must not have") + " CBAM, but the classifier config says cbam=" + network.cbam());
        }
        this.network = network;
        this.objective = Objective.of(config, hierarchy);
    }

    /** Per-sample loss weights (default: all 1). */
    public ClassifierTrainer withSampleWeights(ToDoubleFunction<Sample> weights) {
        this.sampleWeights = weights;
        return this;
    }

    /** How each epoch picks its images (default: every image once, shuffled). */
    public ClassifierTrainer withSampler(EpochSampler sampler) {
        this.sampler = sampler;
        return this;
    }

    /**
     * Segmenter masks (at the train cache's size, keyed by sample id) standing in for missing hand masks in the guided
     * loss; images with neither get no guided term.
     */
    public ClassifierTrainer withPredictedMasks(Map<String, BufferedImage> masks) {
        this.predictedMasks = Map.copyOf(masks);
        return this;
    }

    /** Replaces the paper augmentation (e.g. {@code new Augmenter(Augmenter.Options.none())}). */
    public ClassifierTrainer withAugmenter(Augmenter augmenter) {
        this.augmenter = augmenter;
        return this;
    }

    /** Called once on the freshly initialised network, e.g. to copy pretrained weights in. */
    public ClassifierTrainer withWarmStart(Consumer<Block> warmStart) {
        this.warmStart = warmStart;
        return this;
    }

    /**
     * The classifier's share of a budgeted run (the config's whole budget minus what the run spent before and keeps
     * for after); without it the config's budget is used whole.
     */
    public ClassifierTrainer withBudget(java.time.Duration classifierBudget) {
        this.budget = classifierBudget;
        return this;
    }

    /**
     * Also hands back the schedule's last epoch when a better one is kept ({@link TrainedClassifier#lastEpoch}), so
     * keeping the best can be compared with keeping the last on photos nothing chose from.
     */
    public ClassifierTrainer withLastEpochSnapshot() {
        this.snapshotLast = true;
        return this;
    }

    /** Where the live progress line goes; null silences it. */
    public ClassifierTrainer withProgress(PrintStream out) {
        this.progress = new ProgressLine(out);
        return this;
    }

    /** Progress display to use (tests pass a non-console one). */
    public ClassifierTrainer withProgress(ProgressLine line) {
        this.progress = line;
        return this;
    }

    /**
     * Trains on {@code train} (augmented from its cached pixels), validates on {@code val} each epoch and returns the
     * network with the best epoch's parameters.
     */
    public TrainedClassifier train(SampleCache train, SampleCache val) {
        int size = network.inputSize();
        if (train.size() < 2) {
            throw new IllegalArgumentException("need at least 2 training images, got " + train.size());
        }
        if (train.imageSize() < size) {
            throw new IllegalArgumentException("training cache holds " + train.imageSize() + " px images but the "
                    + "classifier needs " + size + " px: build the cache at least that large");
        }
        checkLabels(train);
        checkLabels(val);
        double[] weights = sampleWeights(train);

        Engine.getInstance().setRandomSeed((int) config.seed());
        Model model = Model.newInstance("classifier");
        model.setBlock(Classifier.build(network));
        int perEpoch = sampler.order(train.size(), 0, new Random(config.seed())).length;
        int stepsPerEpoch = perEpoch / config.batchSize() + (perEpoch % config.batchSize() >= 2 ? 1 : 0);
        plannedEpochs = config.epochs();
        java.time.Duration time = config.budgeted() ? (budget != null ? budget : config.timeBudget()) : null;
        LearningRateSchedule schedule = time != null
                ? LearningRateSchedule.overTime(config.learningRate(), time, config.warmupFraction(),
                        config.finalLearningRateFraction())
                : new LearningRateSchedule(config.learningRate(), Math.max(1, stepsPerEpoch * plannedEpochs),
                        config.warmupFraction(), config.finalLearningRateFraction());
        DefaultTrainingConfig djlConfig = trainingConfig(schedule);
        TrainingHistory history = new TrainingHistory();
        // A budgeted run follows its schedule to the end: no early stop, and of equal epochs the later is kept.
        EarlyStopping stopping = config.budgeted() ? new EarlyStopping(0, true)
                : new EarlyStopping(config.patience(), config.patience() == 0);
        Checkpoint best = null;
        ValidationSet valSet = ValidationSet.of(val, size);
        ExecutorService prep = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-prep");
            t.setDaemon(true);
            return t;
        });
        try (Trainer trainer = model.newTrainer(djlConfig)) {
            trainer.initialize(new Shape(config.batchSize(), 3, size, size));
            if (warmStart != null) {
                warmStart.accept(model.getBlock());
            }
            int step = 0;
            double start = System.nanoTime();
            schedule.start();
            for (int epoch = 1; time != null ? !schedule.spent() : epoch <= plannedEpochs; epoch++) {
                double epochStart = System.nanoTime();
                int[] order = sampler.order(train.size(), epoch, new Random(mix(config.seed(), epoch, -1)));
                List<int[]> batches = batches(order);
                double lossSum = 0;
                int images = 0;
                int done = 0;
                double trainNanos = 0;
                Future<Batch> next = prep.submit(prepare(train, batches.get(0), weights, epoch, 0));
                for (int b = 0; b < batches.size(); b++) {
                    Batch batch = await(next);
                    if (b + 1 < batches.size()) {
                        next = prep.submit(prepare(train, batches.get(b + 1), weights, epoch, b + 1));
                    }
                    double t0 = System.nanoTime();
                    lossSum += step(trainer, batch);
                    trainNanos += System.nanoTime() - t0;
                    images += batch.n;
                    done++;
                    step++;
                    progress.tick(line(epoch, b + 1, batches.size(), lossSum / (b + 1), history, stopping,
                            images / (trainNanos / 1e9), eta(start, epoch - 1, b + 1.0 / batches.size())));
                    if (time != null && schedule.spent()) {
                        break; // the schedule has reached its floor: the budget's last epoch ends here
                    }
                }
                boolean last = time != null ? schedule.spent() : epoch == plannedEpochs;
                if (time != null && !last) {
                    // How many epochs the budget holds at the speed so far: for the validation cadence and the ETA.
                    double epochSeconds = (System.nanoTime() - start) / 1e9 / epoch;
                    double left = time.toMillis() / 1000.0 - (System.nanoTime() - start) / 1e9;
                    plannedEpochs = epoch + Math.max(1, (int) Math.round(left / epochSeconds));
                }
                boolean validated = valSet.isEmpty() || last || EpochPlan.validates(epoch, plannedEpochs,
                        EpochPlan.every(config.validateEvery(), plannedEpochs, config.budgeted()));
                double[] top1 = valSet.isEmpty() || !validated ? new double[0] : validate(trainer, valSet);
                boolean improved = false;
                if (validated) {
                    double score = valSet.isEmpty() ? -lossSum / done : top1[top1.length - 1];
                    improved = stopping.record(epoch, Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score);
                }
                boolean kept = config.keep() == TrainConfig.Keep.LAST || improved;
                if (kept && config.keep() == TrainConfig.Keep.BEST) {
                    best = Checkpoint.of(model.getBlock());
                }
                EpochStats stats = new EpochStats(epoch, lossSum / done, top1,
                        (System.nanoTime() - epochStart) / 1e9, images / (trainNanos / 1e9), schedule.at(step));
                history.add(stats, kept);
                progress.show(line(epoch, done, batches.size(), stats.trainLoss(), history, stopping,
                        stats.imagesPerSecond(), eta(start, epoch, 0)));
                if (stopping.shouldStop()) {
                    history.stopped("early stop: no val improvement in " + config.patience() + " epochs");
                    break;
                }
                if (last && time != null) {
                    history.stopped(String.format(Locale.ROOT, "time budget of %s spent in epoch %d (%d of its %d"
                            + " steps), the schedule at its floor", ProgressLine.duration(time.toSeconds()), epoch,
                            done, batches.size()));
                }
            }
            if (history.stopReason().isEmpty()) {
                history.stopped("completed " + plannedEpochs + " epochs");
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        } finally {
            prep.shutdownNow();
            progress.finish();
        }
        Checkpoint last = null;
        if (best != null) {
            last = snapshotLast ? Checkpoint.of(model.getBlock()) : null;
            best.restore(model.getBlock(), model.getNDManager());
        }
        return new TrainedClassifier(model, network, history, last);
    }

    private DefaultTrainingConfig trainingConfig(LearningRateSchedule schedule) {
        // The loss the trainer config insists on is never called: the objective is computed explicitly each step.
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer(schedule));
    }

    /** What one training step costs, measured by {@link #timeSteps}. */
    public record StepTiming(int steps, int batchSize, double stepSeconds, double prepareSeconds) {
        /** Forward, backward and update alone. */
        public double stepImagesPerSecond() {
            return steps * batchSize / stepSeconds;
        }

        /** Augmenting and converting a batch alone, on one thread. */
        public double prepareImagesPerSecond() {
            return steps * batchSize / prepareSeconds;
        }
    }

    /**
     * Times {@code steps} training steps after {@code warmup} untimed ones, on batches drawn from {@code train}: the
     * step (forward, backward, update) and the batch preparation (augmentation, tensor conversion) separately, both
     * on the calling thread, so each is known on its own; in training they overlap on two threads.
     */
    public StepTiming timeSteps(SampleCache train, int warmup, int steps) {
        double[] weights = sampleWeights(train);
        Engine.getInstance().setRandomSeed((int) config.seed());
        int size = network.inputSize();
        try (Model model = Model.newInstance("classifier")) {
            model.setBlock(Classifier.build(network));
            LearningRateSchedule schedule = new LearningRateSchedule(config.learningRate(), warmup + steps,
                    config.warmupFraction(), config.finalLearningRateFraction());
            try (Trainer trainer = model.newTrainer(trainingConfig(schedule))) {
                trainer.initialize(new Shape(config.batchSize(), 3, size, size));
                int[] order = sampler.order(train.size(), 1, new Random(config.seed()));
                double stepNanos = 0;
                double prepNanos = 0;
                for (int i = 0; i < warmup + steps; i++) {
                    int[] idx = new int[config.batchSize()];
                    for (int k = 0; k < idx.length; k++) {
                        idx[k] = order[(i * idx.length + k) % order.length];
                    }
                    long t0 = System.nanoTime();
                    Batch batch;
                    try {
                        batch = prepare(train, idx, weights, 1, i).call();
                    } catch (Exception e) {
                        throw new IllegalStateException("could not prepare a batch: " + e, e);
                    }
                    long t1 = System.nanoTime();
                    step(trainer, batch);
                    long t2 = System.nanoTime();
                    if (i >= warmup) {
                        prepNanos += t1 - t0;
                        stepNanos += t2 - t1;
                    }
                }
                return new StepTiming(steps, config.batchSize(), stepNanos / 1e9, prepNanos / 1e9);
            }
        }
    }

    /**
     * Gradients are bounded element-wise before the update, as the segmenter's are: the quick preset's small batches
     * at SGD 0.05 occasionally took one spiking step that sent the loss to NaN two steps later (seen twice in CI, on
     * different tests, with seeds fixed: multithreaded reductions are not bit-reproducible). The bound is the
     * segmenter's (1 per element).
     */
    private Optimizer optimizer(LearningRateSchedule schedule) {
        return switch (config.optimizer()) {
            case SGD -> Optimizer.sgd().setLearningRateTracker(schedule).optMomentum((float) config.momentum())
                    .optWeightDecays((float) config.weightDecay()).optClipGrad(SegmenterTrainer.CLIP_GRADIENT)
                    .build();
            case ADAM -> Optimizer.adam().optLearningRateTracker(schedule)
                    .optWeightDecays((float) config.weightDecay()).optClipGrad(SegmenterTrainer.CLIP_GRADIENT).build();
        };
    }

    private float step(Trainer trainer, Batch b) {
        int size = network.inputSize();
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray x = m.create(b.images, new Shape(b.n, 3, size, size));
            NDArray labels = m.create(b.labels, new Shape(b.n, taxonomy.depth()));
            NDArray w = b.weights == null ? null : m.create(b.weights);
            NDArray masks = b.masks == null ? null : m.create(b.masks, new Shape(b.n, 1, size, size));
            NDArray maskWeights = b.maskWeights == null ? null : m.create(b.maskWeights);
            float value;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList out = trainer.forward(new NDList(x));
                NDArray loss = objective.compute(out, labels, w, masks, maskWeights);
                gc.backward(loss);
                value = loss.getFloat();
            }
            if (!Float.isFinite(value)) {
                throw new IllegalStateException("training diverged: the loss became " + value
                        + " (try a lower --lr)");
            }
            trainer.step();
            return value;
        }
    }

    /** Top-1 per rank on the validation set, in evaluation mode (batch-norm running statistics, no dropout). */
    private double[] validate(Trainer trainer, ValidationSet val) {
        int depth = taxonomy.depth();
        int[] hits = new int[depth];
        int[] counted = new int[depth];
        int size = network.inputSize();
        for (int from = 0; from < val.size(); from += EVAL_BATCH) {
            int n = Math.min(EVAL_BATCH, val.size() - from);
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray x = ImageTensors.batch(m, val.images.subList(from, from + n), 3, size, size);
                NDList probs = hierarchy.rankProbabilities(trainer.evaluate(new NDList(x)).get(0));
                for (int r = 0; r < depth; r++) {
                    float[] p = probs.get(r).toFloatArray();
                    int classes = taxonomy.size(r);
                    for (int i = 0; i < n; i++) {
                        int truth = val.labels.get(from + i)[r];
                        if (truth < 0) {
                            continue;
                        }
                        counted[r]++;
                        int arg = 0;
                        for (int c = 1; c < classes; c++) {
                            if (p[i * classes + c] > p[i * classes + arg]) {
                                arg = c;
                            }
                        }
                        if (arg == truth) {
                            hits[r]++;
                        }
                    }
                }
            }
        }
        double[] top1 = new double[depth];
        for (int r = 0; r < depth; r++) {
            top1[r] = counted[r] == 0 ? Double.NaN : (double) hits[r] / counted[r];
        }
        return top1;
    }

    private java.util.concurrent.Callable<Batch> prepare(SampleCache cache, int[] idx, double[] weights, int epoch,
            int batchIndex) {
        long seed = mix(config.seed(), epoch, batchIndex);
        return () -> {
            // One generator per batch: results do not depend on which thread prepared what.
            Random rng = new Random(seed);
            int size = network.inputSize();
            int plane = size * size;
            int depth = taxonomy.depth();
            boolean guided = objective.guided();
            Batch b = new Batch(idx.length, size, depth, guided, weights != null);
            for (int k = 0; k < idx.length; k++) {
                SampleCache.Entry e = cache.get(idx[k]);
                BufferedImage mask = guided ? maskOf(e) : null;
                BufferedImage image;
                if (config.augment()) {
                    Augmenter.Augmented a = augmenter.apply(e.image(), mask, size, rng);
                    image = a.image();
                    mask = a.mask();
                } else {
                    image = e.image();
                }
                System.arraycopy(ImageTensors.toChw(image, size), 0, b.images, k * 3 * plane, 3 * plane);
                int[] labels = e.sample().labels();
                System.arraycopy(labels, 0, b.labels, k * depth, depth);
                if (weights != null) {
                    b.weights[k] = (float) weights[idx[k]];
                }
                if (guided && mask != null) {
                    System.arraycopy(ImageTensors.maskToArray(mask, size), 0, b.masks, k * plane, plane);
                    b.maskWeights[k] = 1f;
                }
            }
            return b;
        };
    }

    private BufferedImage maskOf(SampleCache.Entry e) {
        return e.mask() != null ? e.mask() : predictedMasks.get(e.sample().id());
    }

    private List<int[]> batches(int[] order) {
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < order.length; from += config.batchSize()) {
            int to = Math.min(order.length, from + config.batchSize());
            // Batch norm cannot train on a single image: a lone leftover waits for the next epoch.
            if (to - from >= 2) {
                out.add(java.util.Arrays.copyOfRange(order, from, to));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the sampler returned fewer than 2 images for an epoch");
        }
        return out;
    }

    private double[] sampleWeights(SampleCache train) {
        if (sampleWeights == null) {
            return null;
        }
        double[] w = new double[train.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = sampleWeights.applyAsDouble(train.get(i).sample());
            if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
                throw new IllegalArgumentException("sample weight of " + train.get(i).sample().id()
                        + " must be finite and >= 0, got " + w[i]);
            }
        }
        return w;
    }

    private void checkLabels(SampleCache cache) {
        for (SampleCache.Entry e : cache.entries()) {
            int[] labels = e.sample().labels();
            if (labels.length != taxonomy.depth()) {
                throw new IllegalArgumentException("sample " + e.sample().id() + " has " + labels.length
                        + " rank labels but the taxonomy has " + taxonomy.depth() + " ranks");
            }
            for (int r = 0; r < labels.length; r++) {
                if (labels[r] < -1 || labels[r] >= taxonomy.size(r)) {
                    throw new IllegalArgumentException("sample " + e.sample().id() + " has label " + labels[r]
                            + " at rank " + taxonomy.ranks().get(r) + ", outside -1.." + (taxonomy.size(r) - 1));
                }
            }
        }
    }

    private String line(int epoch, int batch, int batches, double loss, TrainingHistory history,
            EarlyStopping stopping, double imagesPerSecond, String eta) {
        EpochStats last = history.epochs().stream().filter(e -> !Double.isNaN(e.valLeafTop1()))
                .reduce((a, b) -> b).orElse(null);
        String val = last == null ? "val top1 -" : String.format(Locale.ROOT, "val top1 %.3f @%d (best %.3f @%d)",
                last.valLeafTop1(), last.epoch(), stopping.best(), stopping.bestEpoch());
        return String.format(Locale.ROOT, "epoch %d/%d [%d/%d] loss %.4f | %s | %.0f img/s | ETA %s", epoch,
                plannedEpochs, batch, batches, loss, val, imagesPerSecond, eta);
    }

    // Upper bound: assumes every remaining epoch runs (early stopping can only make it shorter).
    private String eta(double startNanos, int epochsDone, double fractionOfNext) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double done = epochsDone + fractionOfNext;
        if (done <= 0) {
            return "?";
        }
        return ProgressLine.duration(elapsed / done * (plannedEpochs - done));
    }

    private static long mix(long seed, int epoch, int batch) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + batch * 0x165667B19E3779F9L;
        return h ^ (h >>> 29);
    }

    private static Batch await(Future<Batch> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing a batch", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("could not prepare a batch: " + cause, cause);
        }
    }

    /** One prepared batch, as flat arrays ready for NDArrays. */
    private static final class Batch {
        final int n;
        final float[] images;
        final int[] labels;
        final float[] weights;
        final float[] masks;
        final float[] maskWeights;

        Batch(int n, int size, int depth, boolean guided, boolean weighted) {
            this.n = n;
            this.images = new float[n * 3 * size * size];
            this.labels = new int[n * depth];
            this.weights = weighted ? new float[n] : null;
            this.masks = guided ? new float[n * size * size] : null;
            this.maskWeights = guided ? new float[n] : null;
        }
    }

    /** Validation inputs computed once (no augmentation): tensors and labels. */
    private record ValidationSet(List<float[]> images, List<int[]> labels) {
        static ValidationSet of(SampleCache cache, int size) {
            List<float[]> images = new ArrayList<>();
            List<int[]> labels = new ArrayList<>();
            for (int i = 0; i < cache.size(); i++) {
                images.add(cache.tensor(i, size));
                labels.add(cache.get(i).sample().labels());
            }
            return new ValidationSet(images, labels);
        }

        int size() {
            return images.size();
        }

        boolean isEmpty() {
            return images.isEmpty();
        }
    }
}
