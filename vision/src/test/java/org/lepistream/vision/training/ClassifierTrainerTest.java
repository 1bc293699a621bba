package org.lepistream.vision.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.SampleCache;
import org.lepistream.vision.model.ClassifierConfig;
import org.lepistream.vision.synthetic.GenerateOptions;
import org.lepistream.vision.synthetic.SyntheticButterflies;

/** Trains the quick network for a few epochs on a tiny synthetic set: it must learn, not just run. */
class ClassifierTrainerTest {
    private static final int INPUT = 32;

    @TempDir
    static Path dir;
    static Dataset dataset;

    @BeforeAll
    static void generate() throws Exception {
        // 2 families x 2 genera x 1 species: 4 species that differ in wing shape and colour, 20 photos each.
        GenerateOptions opts = new GenerateOptions(2, 2, 1, 0, 20, 48, 11, 0.25);
        SyntheticButterflies.generate(dir.resolve("data"), opts);
        dataset = Dataset.load(dir.resolve("data"));
    }

    @Test
    void lossFallsAndValidationBeatsChance() {
        TrainConfig config = TrainConfig.builder(Preset.QUICK).epochs(10).batchSize(16).patience(0).seed(5)
                .inputSize(INPUT).build();
        ClassifierConfig net = TrainingRun.classifierConfig(config, dataset.taxonomy().leafCount());
        SampleCache train = SampleCache.build(dataset.split("train"), 40);
        SampleCache val = SampleCache.build(dataset.split("val"), INPUT);
        try (TrainedClassifier trained = new ClassifierTrainer(config, dataset.taxonomy(), net)
                .withProgress(new ProgressLine(null, false)).train(train, val)) {
            List<EpochStats> epochs = trained.history().epochs();
            assertEquals(10, epochs.size());
            double first = epochs.get(0).trainLoss();
            double last = (epochs.get(8).trainLoss() + epochs.get(9).trainLoss()) / 2;
            assertTrue(last < 0.8 * first, "loss did not fall: " + first + " -> " + last);
            double chance = 1.0 / dataset.taxonomy().leafCount();
            double best = trained.history().best().valLeafTop1();
            assertTrue(best >= 2 * chance, "val species top-1 " + best + " is not clearly above chance " + chance);
            assertTrue(trained.history().best().imagesPerSecond() > 0);
        }
    }

    @Test
    void aTimeBudgetSizesTheScheduleFromTheFirstStepsAndTheRunEndsInsideIt() {
        // Over wall time the learning-rate path depends on the machine's speed: a slow host reaches the peak in fewer
        // steps. The schedule is under test here, not the optimiser, so the peak is low enough to be stable on any path
        // (the quick preset's 0.05 at batch 8 diverged once in CI).
        TrainConfig config = TrainConfig.builder(Preset.QUICK).epochs(500).batchSize(16).learningRate(0.01).seed(3)
                .inputSize(INPUT).timeBudget(java.time.Duration.ofSeconds(12)).build();
        ClassifierConfig net = TrainingRun.classifierConfig(config, dataset.taxonomy().leafCount());
        SampleCache train = SampleCache.build(dataset.split("train"), 40);
        SampleCache val = SampleCache.build(dataset.split("val"), INPUT);
        // Loading the native engine (seconds when this test runs first in its JVM) is not part of a run's budget.
        ai.djl.engine.Engine.getInstance();
        long start = System.nanoTime();
        try (TrainedClassifier trained = new ClassifierTrainer(config, dataset.taxonomy(), net)
                .withProgress(new ProgressLine(null, false)).train(train, val)) {
            double seconds = (System.nanoTime() - start) / 1e9;
            List<EpochStats> epochs = trained.history().epochs();
            // Sized by the clock, not the 500 epochs asked for, and the cosine ran to its floor.
            assertTrue(epochs.size() > 1 && epochs.size() < 500, epochs.size() + " epochs");
            assertTrue(seconds < 12 * 1.1 + 2, "ran " + seconds + " s on a 12 s budget");
            EpochStats last = epochs.get(epochs.size() - 1);
            if (trained.history().stopReason().startsWith("completed")) {
                assertTrue(last.learningRate() < 0.1 * config.learningRate(), "lr at the end " + last.learningRate());
            }
            // The last epoch is always validated, and the kept one was validated.
            assertTrue(Double.isFinite(last.valLeafTop1()));
            assertTrue(Double.isFinite(trained.history().best().valLeafTop1()));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Variant.class)
    void everyVariantTrainsAndItsLossFalls(Variant variant) {
        TrainConfig config = TrainConfig.builder(Preset.QUICK).variant(variant).epochs(4).batchSize(16).patience(0)
                .seed(8).inputSize(INPUT).build();
        ClassifierConfig net = TrainingRun.classifierConfig(config, dataset.taxonomy().leafCount());
        SampleCache train = SampleCache.build(dataset.split("train"), 40);
        SampleCache val = SampleCache.build(dataset.split("val"), INPUT);
        try (TrainedClassifier trained = new ClassifierTrainer(config, dataset.taxonomy(), net)
                .withProgress(new ProgressLine(null, false)).train(train, val)) {
            List<EpochStats> epochs = trained.history().epochs();
            assertEquals(4, epochs.size());
            assertTrue(epochs.get(3).trainLoss() < epochs.get(0).trainLoss(), variant + ": " + epochs);
            assertEquals(variant.cbam(), net.cbam());
        }
    }

    @Test
    void keepLastKeepsTheScheduleEndWhateverValidationSaid() {
        TrainConfig config = TrainConfig.builder(Preset.QUICK).epochs(3).batchSize(16).patience(0).seed(5)
                .inputSize(INPUT).keep(TrainConfig.Keep.LAST).build();
        ClassifierConfig net = TrainingRun.classifierConfig(config, dataset.taxonomy().leafCount());
        SampleCache train = SampleCache.build(dataset.split("train"), 40);
        SampleCache val = SampleCache.build(dataset.split("val"), INPUT);
        try (TrainedClassifier trained = new ClassifierTrainer(config, dataset.taxonomy(), net)
                .withProgress(new ProgressLine(null, false)).train(train, val)) {
            assertEquals(3, trained.history().bestEpoch());
        }
    }

    @Test
    void keepingTheBestCanHandBackTheLastEpochToo() {
        // The last three epochs see photos of one species only, so the network ends predicting it everywhere and an
        // earlier epoch is kept as best; the schedule's end must come back as well, with other parameters.
        TrainConfig config = TrainConfig.builder(Preset.QUICK).epochs(6).batchSize(16).patience(0).seed(5)
                .inputSize(INPUT).build();
        ClassifierConfig net = TrainingRun.classifierConfig(config, dataset.taxonomy().leafCount());
        List<org.lepistream.vision.data.Sample> photos = dataset.split("train");
        int[] oneSpecies = java.util.stream.IntStream.range(0, photos.size()).filter(i -> photos.get(i).leaf() == 0)
                .toArray();
        EpochSampler collapsing = (n, epoch, rng) -> epoch < 4 ? EpochSampler.shuffle().order(n, epoch, rng)
                : java.util.stream.IntStream.range(0, n).map(i -> oneSpecies[i % oneSpecies.length]).toArray();
        SampleCache train = SampleCache.build(photos, 40);
        SampleCache val = SampleCache.build(dataset.split("val"), INPUT);
        try (TrainedClassifier trained = new ClassifierTrainer(config, dataset.taxonomy(), net)
                .withSampler(collapsing).withLastEpochSnapshot().withProgress(new ProgressLine(null, false))
                .train(train, val)) {
            assertTrue(trained.history().bestEpoch() < 6, "best epoch " + trained.history().bestEpoch());
            assertTrue(trained.lastEpoch() != null, "no last epoch handed back");
            assertTrue(!trained.lastEpoch().sameAs(Checkpoint.of(trained.model().getBlock())),
                    "the kept parameters are the last epoch's");
        }
    }

    @Test
    void guidedVariantTrainsWithMasksAndWeights() {
        TrainConfig config = TrainConfig.builder(Preset.QUICK).variant(Variant.CBAM_GUIDED).epochs(2).batchSize(8)
                .seed(2).inputSize(INPUT).build();
        ClassifierConfig net = TrainingRun.classifierConfig(config, dataset.taxonomy().leafCount());
        SampleCache train = SampleCache.build(dataset.split("train"), 40);
        SampleCache val = SampleCache.build(dataset.split("val"), INPUT);
        int[] calls = new int[1];
        EpochSampler counting = (n, epoch, rng) -> {
            calls[0]++;
            return EpochSampler.shuffle().order(n, epoch, rng);
        };
        try (TrainedClassifier trained = new ClassifierTrainer(config, dataset.taxonomy(), net)
                .withSampleWeights(s -> s.leaf() == 0 ? 2.0 : 1.0)
                .withSampler(counting)
                .withProgress(new ProgressLine(null, false)).train(train, val)) {
            assertEquals(2, trained.history().epochs().size());
            assertTrue(Double.isFinite(trained.history().epochs().get(1).trainLoss()));
        }
        // Once to size the schedule, once per epoch.
        assertEquals(3, calls[0]);
    }

    @Test
    void genusOnlyLabelsTrainAlongsideFullOnes() {
        // The trainer keeps an expert's genus-level answer with the species unknown (-1): half the photos here.
        List<org.lepistream.vision.data.Sample> mixed = new java.util.ArrayList<>();
        List<org.lepistream.vision.data.Sample> all = dataset.split("train");
        for (int i = 0; i < all.size(); i++) {
            org.lepistream.vision.data.Sample s = all.get(i);
            int[] labels = s.labels();
            if (i % 2 == 0) {
                labels[labels.length - 1] = -1;
            }
            mixed.add(new org.lepistream.vision.data.Sample(s.id(), s.image(), s.mask(), labels[labels.length - 1],
                    labels, s.split()));
        }
        TrainConfig config = TrainConfig.builder(Preset.QUICK).epochs(4).batchSize(8).learningRate(0.05).seed(3)
                .inputSize(INPUT).build();
        ClassifierConfig net = TrainingRun.classifierConfig(config, dataset.taxonomy().leafCount());
        try (TrainedClassifier trained = new ClassifierTrainer(config, dataset.taxonomy(), net)
                .withProgress(new ProgressLine(null, false))
                .train(SampleCache.build(mixed, 40), SampleCache.build(dataset.split("val"), INPUT))) {
            for (EpochStats e : trained.history().epochs()) {
                assertTrue(Double.isFinite(e.trainLoss()), "epoch " + e.epoch() + " loss " + e.trainLoss());
            }
        }
    }
}
