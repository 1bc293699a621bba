package org.lepistream.vision.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.lepistream.vision.data.Augmenter;
import org.lepistream.vision.data.PhotoFiles;
import org.lepistream.vision.training.EngineThreads;
import org.lepistream.vision.training.NoButterflyTuning;
import org.lepistream.vision.training.Preset;
import org.lepistream.vision.training.SegmenterRun;
import org.lepistream.vision.training.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train-segmenter}: a new segmenter next to an existing bundle's classifier. */
@Command(name = "train-segmenter", mixinStandardHelpOptions = true,
        description = {"Train a new butterfly segmenter on a fraction of the train masks of --data and write it, with the "
                + "classifier of --model, as a new bundle in --out (the old bundle becomes its parent version).",
            "With --empty-photos, fine-tune the bundle's segmenter instead: the photos there (no butterfly in them, "
                + "as experts' NOT_A_BUTTERFLY labels) with empty masks, beside train photos of --data with their "
                + "hand masks or the segmenter's own, so that the service's no-butterfly check catches such photos."})
final class TrainSegmenterCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "Dataset folder with labels.csv and masks.")
    Path data;

    @Option(names = "--model", required = true, description = "Existing model bundle whose classifier is kept.")
    Path model;

    @Option(names = "--out", required = true, description = "New bundle folder (must not exist or be empty).")
    Path out;

    @Option(names = "--segmenter-fraction", defaultValue = "0.1",
            description = "Share of train masks to learn from (default ${DEFAULT-VALUE}).")
    double fraction;

    @Option(names = "--epochs", description = "Segmenter epochs (default from the preset).")
    Integer epochs;

    @Option(names = "--preset", defaultValue = "full", description = "quick | full (default ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--empty-photos", paramLabel = "DIR",
            description = "Photos without a butterfly (JPEG/PNG): fine-tune the bundle's segmenter on them.")
    Path emptyPhotos;

    @Option(names = "--channel-swap", defaultValue = "0", paramLabel = "P",
            description = "Share of training images whose colour channels trade places (a large hue change, so the"
                    + " segmenter must learn shapes rather than the training species' colours; default 0).")
    double channelSwap;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "0",
            description = "PyTorch intra-op threads (0 = all cores; 1 is faster on a busy machine).")
    int threads;

    @Override
    public Integer call() throws Exception {
        EngineThreads.configure(threads);
        if (emptyPhotos != null) {
            NoButterflyTuning tuning = NoButterflyTuning.DEFAULT.withSeed(seed);
            if (epochs != null) {
                tuning = new NoButterflyTuning(epochs, tuning.butterfliesPerEmpty(), tuning.learningRate(), seed);
            }
            new SegmenterRun(TrainConfig.builder(Preset.parse(preset)).seed(seed).build(), System.err)
                    .tune(data, model, photos(emptyPhotos), tuning, out);
            System.out.println(out);
            return 0;
        }
        TrainConfig.Builder b = TrainConfig.builder(Preset.parse(preset)).segmenterFraction(fraction).seed(seed);
        if (epochs != null) {
            b.segmenterEpochs(epochs);
        }
        TrainConfig config = b.build();
        if (config.segmenterEpochs() < 1 || fraction <= 0) {
            throw new IllegalArgumentException("--epochs and --segmenter-fraction must be > 0");
        }
        new SegmenterRun(config, System.err)
                .withAugmenter(new Augmenter(Augmenter.Options.paper().withChannelSwap(channelSwap)))
                .run(data, model, out);
        System.out.println(out);
        return 0;
    }

    private static List<Path> photos(Path dir) throws IOException {
        List<Path> list = PhotoFiles.in(dir);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no JPEG or PNG photos in --empty-photos " + dir);
        }
        return list;
    }
}
