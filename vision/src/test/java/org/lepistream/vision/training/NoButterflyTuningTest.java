package org.lepistream.vision.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.ImageTensors;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.data.SampleCache;
import org.lepistream.vision.evaluation.BackgroundSwap;
import org.lepistream.vision.evaluation.MaskOverlap;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.vision.synthetic.GenerateOptions;
import org.lepistream.vision.synthetic.SyntheticButterflies;

/** A segmenter tuned on photos without a butterfly marks less of such photos, and still finds butterflies. */
class NoButterflyTuningTest {
    private static final SegmenterConfig NET = new SegmenterConfig(32, List.of(4, 8, 16, 32));

    @TempDir
    static Path dir;
    static Dataset dataset;
    static List<Sample> emptyTrain;
    static List<Sample> emptyVal;

    @BeforeAll
    static void generate() throws Exception {
        SyntheticButterflies.generate(dir.resolve("data"), new GenerateOptions(2, 2, 1, 0, 20, 48, 7, 0.25));
        dataset = Dataset.load(dir.resolve("data"));
        emptyTrain = erased(dataset.split("train").subList(0, 24), "train");
        emptyVal = erased(dataset.split("val"), "val");
    }

    /** The photos with their butterfly erased, as an expert's NOT_A_BUTTERFLY photos would be. */
    private static List<Sample> erased(List<Sample> photos, String name) throws Exception {
        return NoButterflyTuning.emptyPhotos(BackgroundSwap.writeErased(photos, dir.resolve("empty-" + name)),
                dataset.taxonomy().depth());
    }

    /** Share of pixels the segmenter marks as butterfly (p > 0.5) over the photos. */
    private static double markedArea(Segmenter seg, List<Sample> photos) {
        Map<String, BufferedImage> masks = SegmenterTrainer.predictMissing(seg, SampleCache.build(strip(photos), 32));
        double sum = 0;
        for (BufferedImage m : masks.values()) {
            float[] a = ImageTensors.maskToArray(m, 32);
            double on = 0;
            for (float v : a) {
                on += v;
            }
            sum += on / a.length;
        }
        return sum / masks.size();
    }

    private static double iou(Segmenter seg, List<Sample> photos) {
        Map<String, BufferedImage> masks = SegmenterTrainer.predictMissing(seg, SampleCache.build(strip(photos), 32));
        SampleCache truth = SampleCache.build(photos, 32);
        double sum = 0;
        for (SampleCache.Entry e : truth.entries()) {
            sum += MaskOverlap.iou(ImageTensors.maskToArray(masks.get(e.sample().id()), 32),
                    ImageTensors.maskToArray(e.mask(), 32));
        }
        return sum / truth.size();
    }

    private static List<Sample> strip(List<Sample> photos) {
        return photos.stream().map(Sample::withoutMask).toList();
    }

    @Test
    void emptyPhotosComeOutEmptierAndButterfliesAreStillFound() {
        List<Sample> val = dataset.split("val");
        try (TrainedSegmenter base = new SegmenterTrainer(NET, 4, 8, 2e-3, 3).withProgress(null)
                .train(SampleCache.build(dataset.split("train"), 40), SampleCache.build(List.of(), 32))) {
            Segmenter before = (Segmenter) base.model().getBlock();
            double emptyBefore = markedArea(before, emptyVal);
            double iouBefore = iou(before, val);
            // Half the butterfly photos lose their hand masks: the segmenter's own masks stand in for them.
            List<Sample> butterflies = new ArrayList<>(dataset.split("train"));
            butterflies.replaceAll(s -> s.id().hashCode() % 2 == 0 ? strip(List.of(s)).get(0) : s);
            try (TrainedSegmenter tuned = new NoButterflyTuning(6, 3, 1e-3, 3).tune(before, butterflies, emptyTrain,
                    null)) {
                Segmenter after = (Segmenter) tuned.model().getBlock();
                double emptyAfter = markedArea(after, emptyVal);
                double iouAfter = iou(after, val);
                System.out.printf("no-butterfly tuning: marked area of held-out empty photos %.3f -> %.3f, val IoU"
                        + " %.3f -> %.3f%n", emptyBefore, emptyAfter, iouBefore, iouAfter);
                assertTrue(emptyAfter < 0.5 * emptyBefore, "held-out empty photos: marked area " + emptyBefore
                        + " -> " + emptyAfter);
                assertTrue(iouAfter > iouBefore - 0.1, "butterflies: IoU " + iouBefore + " -> " + iouAfter);
                assertEquals(emptyBefore, markedArea(before, emptyVal), 1e-9, "the current segmenter is unchanged");
            }
        }
    }

    @Test
    void nothingToLearnFromIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> NoButterflyTuning.DEFAULT.tune(Segmenter.build(NET),
                dataset.split("train"), List.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new NoButterflyTuning(0, 3, 1e-3, 1));
    }
}
