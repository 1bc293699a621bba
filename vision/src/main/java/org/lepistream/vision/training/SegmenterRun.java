package org.lepistream.vision.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lepistream.vision.bundle.BundleManifest;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.data.Augmenter;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.DatasetOptions;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.data.SampleCache;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;

/**
 * The {@code train-segmenter} command: trains a new segmenter and writes it, next to an existing bundle's classifier,
 * as a new bundle (bundles are immutable; the old one becomes the parent version).
 */
public final class SegmenterRun {
    private static final DateTimeFormatter VERSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final TrainConfig config;
    private final PrintStream log;
    private Augmenter augmenter = new Augmenter();

    public SegmenterRun(TrainConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    /** Replaces the paper augmentation of {@link #run} (e.g. with channel swaps). */
    public SegmenterRun withAugmenter(Augmenter augmenter) {
        this.augmenter = augmenter;
        return this;
    }

    /** Trains on {@code segmenterFraction} of the train masks of {@code dataDir} and writes {@code out}. */
    public TrainedSegmenterInfo run(Path dataDir, Path model, Path out) throws IOException {
        requireEmpty(out);
        try (ModelBundle bundle = ModelBundle.load(model)) {
            Dataset dataset = Dataset.load(dataDir, DatasetOptions.defaults().withTaxonomy(bundle.taxonomy()));
            List<Sample> masked = dataset.split("train").stream().filter(Sample::hasMask).toList();
            List<Sample> chosen = StratifiedSubset.of(masked, Sample::leaf, config.segmenterFraction(), config.seed());
            if (chosen.size() < 2) {
                throw new IllegalArgumentException("need at least 2 masked train images for the segmenter, found "
                        + chosen.size() + " (" + masked.size() + " masked in all)");
            }
            SegmenterConfig net = TrainingRun.segmenterConfig(
                    config.toBuilder().inputSize(bundle.classifier().config().inputSize()).build());
            int size = net.inputSize();
            log.printf(Locale.ROOT, "segmenter: training on %d of %d train masks at %d px%n", chosen.size(),
                    masked.size(), size);
            SampleCache train = SampleCache.build(chosen, (int) Math.round(size * TrainingRun.CACHE_OVERSIZE));
            SampleCache val = SampleCache.build(dataset.split("val"), size);
            try (TrainedSegmenter seg = new SegmenterTrainer(net, config.segmenterEpochs(),
                    Math.min(8, chosen.size()), 2e-3, config.seed()).withAugmenter(augmenter).withProgress(log)
                    .train(train, val)) {
                return write(bundle, seg, "seg-", out);
            }
        }
    }

    /**
     * Fine-tunes the bundle's segmenter on photos without a butterfly ({@link NoButterflyTuning}) beside the train
     * photos of {@code dataDir}, and writes {@code out}.
     */
    public TrainedSegmenterInfo tune(Path dataDir, Path model, List<Path> emptyPhotos, NoButterflyTuning tuning,
            Path out) throws IOException {
        requireEmpty(out);
        try (ModelBundle bundle = ModelBundle.load(model)) {
            Segmenter current = bundle.segmenter().orElseThrow(() -> new IllegalArgumentException("bundle " + model
                    + " has no segmenter to tune"));
            Dataset dataset = Dataset.load(dataDir, DatasetOptions.defaults().withTaxonomy(bundle.taxonomy()));
            int ranks = bundle.taxonomy().depth();
            try (TrainedSegmenter seg = tuning.tune(current, dataset.split("train"), NoButterflyTuning.emptyPhotos(emptyPhotos, ranks),
                    log)) {
                return write(bundle, seg, "nob-", out);
            }
        }
    }

    private static void requireEmpty(Path out) throws IOException {
        if (Files.exists(out)) {
            try (var entries = Files.list(out)) {
                if (!Files.isDirectory(out) || entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("output " + out + " already exists and is not an empty folder");
                }
            }
        }
    }

    /** The bundle with {@code seg} in place of its segmenter, as a new version whose parent is the old one. */
    private TrainedSegmenterInfo write(ModelBundle bundle, TrainedSegmenter seg, String prefix, Path out)
            throws IOException {
        BundleManifest old = bundle.manifest();
        Map<String, Object> metrics = new LinkedHashMap<>(old.metrics());
        Map<String, Object> segFacts = new LinkedHashMap<>();
        segFacts.put("trainImages", seg.trainedOn());
        segFacts.put("valIoU", Double.isFinite(seg.valIoU()) ? seg.valIoU() : null);
        segFacts.put("seconds", seg.seconds());
        metrics.put("segmenter", segFacts);
        String version = prefix + VERSION_TIME.format(Instant.now()) + "-" + config.seed();
        BundleManifest fresh = BundleManifest.create(old.modelName(), bundle.taxonomy(), old.classifier(),
                seg.config());
        BundleManifest manifest = new BundleManifest(fresh.formatVersion(), old.modelName(), version,
                fresh.createdAt(), old.classifier(), seg.config(), old.preprocessing(), old.ranks(), old.thresholds(),
                metrics, old.version(), Map.of(), old.policy(), old.temperature());
        ModelBundle.of(manifest, bundle.taxonomy(), bundle.classifier(), (Segmenter) seg.model().getBlock())
                .save(out);
        log.printf(Locale.ROOT, "bundle %s (segmenter val IoU %.3f) written to %s%n", version, seg.valIoU(), out);
        return new TrainedSegmenterInfo(version, seg.trainedOn(), seg.valIoU());
    }

    /** What the run wrote. */
    public record TrainedSegmenterInfo(String version, int trainedOn, double valIoU) {
    }
}
