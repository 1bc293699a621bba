package org.lepistream.vision.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.lepistream.vision.training.EngineThreads;
import org.lepistream.vision.training.LossKind;
import org.lepistream.vision.training.OptimizerKind;
import org.lepistream.vision.training.Preset;
import org.lepistream.vision.training.TrainConfig;
import org.lepistream.vision.training.TrainingRun;
import org.lepistream.vision.training.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train}: segmenter + classifier into a new model bundle. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the segmenter (on a fraction of the train masks, or reuse one with --segmenter-from) and"
                + " the species classifier on the 'train' split of --data within a time budget, keep the epoch with"
                + " the best 'val' species top-1 (or the last), fit a softmax temperature on 'val', and write a model"
                + " bundle with its val metrics.",
            "Routing thresholds in the bundle are placeholders (0.5) until calibrated by the streaming service."})
final class TrainCommand implements Callable<Integer> {
    /** What {@code --preset full} spends when neither --epochs nor --time-budget is given. */
    static final String DEFAULT_BUDGET = "20m";

    @Option(names = "--data", required = true, description = "Dataset folder with labels.csv.")
    Path data;

    @Option(names = "--out", required = true, description = "Bundle folder to create (must not exist or be empty).")
    Path out;

    @Option(names = "--variant", defaultValue = "cbam",
            description = "resnet | cbam | cbam-guided (default ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--loss", defaultValue = "wce",
            description = "flat | wce | asymptotic (default ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--preset", defaultValue = "full",
            description = "quick (small net, minutes on synthetic data) | full (Leeds; default).")
    String preset;

    @Option(names = "--seed", description = "Random seed (default 1).")
    Long seed;

    @Option(names = "--epochs", description = "A fixed number of epochs instead of a time budget (with early"
            + " stopping by --patience).")
    Integer epochs;

    @Option(names = "--time-budget", description = "Wall time for the whole command, e.g. 20m, 1h30m, 900s: the"
            + " learning-rate cosine runs over wall time and ends with it, and nothing stops it early (default for"
            + " --preset full when --epochs is not given: " + DEFAULT_BUDGET + ").")
    String timeBudget;

    @Option(names = "--validate-every", description = "Validate every N epochs (default: every epoch; with a budget"
            + " every ~tenth of the run, then every epoch in its last quarter).")
    Integer validateEvery;

    @Option(names = "--keep", defaultValue = "best", description = "best (the best val epoch, ties to the later) |"
            + " last (the schedule's end). Default ${DEFAULT-VALUE}.")
    String keep;

    @Option(names = "--no-temperature", description = "Do not fit a softmax temperature on val (probabilities as the"
            + " network gives them).")
    boolean noTemperature;

    @Option(names = "--segmenter-from", description = "Reuse the segmenter of this model bundle instead of training"
            + " one: its masks drive the guided loss and the service's Over-CAM on data without masks.")
    Path segmenterFrom;

    @Option(names = "--train-fraction",
            description = "Use this share of each species' train images, chosen by the seed (default 1).")
    Double trainFraction;

    @Option(names = "--lr", description = "Peak learning rate (default from the preset).")
    Double lr;

    @Option(names = "--batch", description = "Batch size (default from the preset).")
    Integer batch;

    @Option(names = "--optimizer", description = "sgd (momentum 0.9, default) | adam.")
    String optimizer;

    @Option(names = "--weight-decay", description = "L2 weight decay (default 5e-4).")
    Double weightDecay;

    @Option(names = "--patience", description = "Stop after N epochs without val improvement; 0 = never.")
    Integer patience;

    @Option(names = "--guided-weight", description = "Weight of the guided-attention loss (default 2).")
    Double guidedWeight;

    @Option(names = "--lambdas", description = "Per-rank WCE weights top to leaf, e.g. 0.2,0.3,1.0 (default).")
    String lambdas;

    @Option(names = "--label-smoothing", description = "Label smoothing of the cross-entropy terms (default 0.1).")
    Double labelSmoothing;

    @Option(names = "--segmenter-fraction",
            description = "Share of train masks the segmenter learns from (default 0.1; 0 = no segmenter).")
    Double segmenterFraction;

    @Option(names = "--segmenter-epochs", description = "Segmenter epochs (default from the preset).")
    Integer segmenterEpochs;

    @Option(names = "--input-size", description = "Network input side in px (default from the preset).")
    Integer inputSize;

    @Option(names = "--no-augment", description = "Train on un-augmented images.")
    boolean noAugment;

    @Option(names = "--threads", defaultValue = "0",
            description = "PyTorch intra-op threads (0 = all cores; 1 is faster on a busy machine).")
    int threads;

    @Option(names = "--pretrained-backbone",
            description = "Start from a model bundle folder (or classifier.params): parameters with matching "
                    + "names and shapes are copied.")
    Path pretrainedBackbone;

    @Option(names = "--last-epoch-to",
            description = "Also write the schedule's last epoch as a second bundle here (to compare keeping the best"
                    + " with keeping the last on a split nothing chose from).")
    Path lastEpochTo;

    @Option(names = "--parent-version", description = "Release this run fine-tunes (recorded in the bundle).")
    String parentVersion;

    @Override
    public Integer call() throws Exception {
        EngineThreads.configure(threads);
        TrainConfig config = config();
        TrainingRun.Result result = new TrainingRun(config, System.err).withParentVersion(parentVersion)
                .withLastEpochTo(lastEpochTo).run(data, out);
        System.out.println(result.bundleDir());
        return 0;
    }

    TrainConfig config() {
        TrainConfig.Builder b = TrainConfig.builder(Preset.parse(preset)).variant(Variant.parse(variant))
                .loss(LossKind.parse(loss)).threads(threads).augment(!noAugment);
        if (seed != null) {
            b.seed(seed);
        }
        if (epochs != null && timeBudget != null) {
            throw new IllegalArgumentException("give --epochs or --time-budget, not both");
        }
        if (epochs != null) {
            b.epochs(epochs);
        } else if (timeBudget != null || Preset.parse(preset) == Preset.FULL) {
            b.timeBudget(parseDuration(timeBudget != null ? timeBudget : DEFAULT_BUDGET));
        }
        if (validateEvery != null) {
            b.validateEvery(validateEvery);
        }
        b.keep(TrainConfig.Keep.parse(keep)).fitTemperature(!noTemperature);
        if (segmenterFrom != null) {
            b.segmenterFrom(segmenterFrom);
        }
        if (trainFraction != null) {
            b.trainFraction(trainFraction);
        }
        if (lr != null) {
            b.learningRate(lr);
        }
        if (batch != null) {
            b.batchSize(batch);
        }
        if (optimizer != null) {
            b.optimizer(OptimizerKind.parse(optimizer));
        }
        if (weightDecay != null) {
            b.weightDecay(weightDecay);
        }
        if (patience != null) {
            b.patience(patience);
        }
        if (guidedWeight != null) {
            b.guidedWeight(guidedWeight);
        }
        if (lambdas != null) {
            b.lambdas(parseLambdas(lambdas));
        }
        if (labelSmoothing != null) {
            b.labelSmoothing(labelSmoothing);
        }
        if (segmenterFraction != null) {
            b.segmenterFraction(segmenterFraction);
        }
        if (segmenterEpochs != null) {
            b.segmenterEpochs(segmenterEpochs);
        }
        if (inputSize != null) {
            b.inputSize(inputSize);
        }
        if (pretrainedBackbone != null) {
            b.pretrainedBackbone(pretrainedBackbone);
        }
        return b.build();
    }

    /** {@code 20m}, {@code 1h30m}, {@code 90s}, or a plain number of seconds. */
    static java.time.Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.matches("\\d+")) {
            return java.time.Duration.ofSeconds(Long.parseLong(t));
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?").matcher(t);
        if (t.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("--time-budget must look like 20m, 1h30m or 900s, got '" + text + "'");
        }
        long seconds = 0;
        long[] unit = {3600, 60, 1};
        for (int g = 1; g <= 3; g++) {
            if (m.group(g) != null) {
                seconds += Long.parseLong(m.group(g)) * unit[g - 1];
            }
        }
        return java.time.Duration.ofSeconds(seconds);
    }

    static double[] parseLambdas(String text) {
        try {
            return Arrays.stream(text.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--lambdas must be comma-separated numbers, got '" + text + "'");
        }
    }
}
