package org.lepistream.vision.training;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.data.SampleCache;
import org.lepistream.vision.segmentation.Segmenter;

/**
 * Teaches a segmenter what a photo without a butterfly looks like, from photos experts marked NOT_A_BUTTERFLY: the
 * current segmenter is fine-tuned on them with an empty mask, beside photos with butterflies, so that the service's
 * mask-area check ({@code NoButterfly}) flags such photos. The butterfly photos keep their hand masks, or where they
 * have none, the segmenter's own masks, so that it keeps what it knew instead of learning that every mask is empty.
 *
 * @param butterfliesPerEmpty at most this many butterfly photos per empty one (at least {@link #MIN_BUTTERFLIES}),
 *     so a few expert labels are not drowned in an epoch of thousands of butterflies
 */
public record NoButterflyTuning(int epochs, int butterfliesPerEmpty, double learningRate, long seed) {

    public static final NoButterflyTuning DEFAULT = new NoButterflyTuning(6, 3, 5e-4, 1);
    static final int MIN_BUTTERFLIES = 32;

    public NoButterflyTuning {
        if (epochs < 1 || butterfliesPerEmpty < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("no-butterfly tuning needs epochs >= 1, butterflies per empty photo"
                    + " >= 1 and a learning rate > 0, got " + epochs + ", " + butterfliesPerEmpty + ", " + learningRate);
        }
    }

    /** Photo files without a butterfly as samples to tune on (no taxon at any of {@code ranks}, no mask). */
    public static List<Sample> emptyPhotos(List<Path> photos, int ranks) {
        int[] none = new int[ranks];
        Arrays.fill(none, -1);
        return photos.stream().map(p -> new Sample("empty-" + p.getFileName(), p, null, -1, none, "train")).toList();
    }

    public NoButterflyTuning withSeed(long newSeed) {
        return new NoButterflyTuning(epochs, butterfliesPerEmpty, learningRate, newSeed);
    }

    /** A fine-tuned copy of {@code current}; the caller closes it. {@code current} is not changed. */
    public TrainedSegmenter tune(Segmenter current, List<Sample> butterflies, List<Sample> empty, PrintStream log) {
        if (empty.isEmpty()) {
            throw new IllegalArgumentException("no photos without a butterfly to learn from");
        }
        List<Sample> shuffled = new ArrayList<>(butterflies);
        Collections.shuffle(shuffled, new Random(seed));
        int keep = Math.min(shuffled.size(), Math.max(MIN_BUTTERFLIES, butterfliesPerEmpty * empty.size()));
        int size = current.config().inputSize();
        int cacheSize = (int) Math.round(size * TrainingRun.CACHE_OVERSIZE);
        SampleCache withButterflies = SampleCache.build(shuffled.subList(0, keep), cacheSize);
        withButterflies = withButterflies.withMasks(SegmenterTrainer.predictMissing(current, withButterflies));
        SampleCache without = SampleCache.build(empty, cacheSize);
        Map<String, BufferedImage> blank = new HashMap<>();
        without.entries().forEach(e -> blank.put(e.sample().id(),
                new BufferedImage(cacheSize, cacheSize, BufferedImage.TYPE_INT_RGB)));
        SampleCache train = withButterflies.plus(without.withMasks(blank));
        if (log != null) {
            log.printf(Locale.ROOT, "segmenter: tuning on %d photos without a butterfly (empty masks) and %d with one"
                    + " (%d own masks), %d epochs%n", without.size(), withButterflies.size(),
                    withButterflies.entries().stream().filter(e -> e.sample().mask() == null).count(), epochs);
        }
        // No validation: the last epoch is kept, and the caller judges the result on photos it did not train on.
        return new SegmenterTrainer(current.config(), epochs, Math.min(8, train.size()), learningRate, seed)
                .withWarmStart(current).withProgress(log).train(train, SampleCache.build(List.of(), size));
    }
}
