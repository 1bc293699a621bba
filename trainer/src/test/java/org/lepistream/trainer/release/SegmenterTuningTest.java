package org.lepistream.trainer.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.data.SampleCache;
import org.lepistream.vision.evaluation.BackgroundSwap;
import org.lepistream.vision.segmentation.Segmenter;
import org.lepistream.vision.segmentation.SegmenterConfig;
import org.lepistream.vision.synthetic.GenerateOptions;
import org.lepistream.vision.synthetic.SyntheticButterflies;
import org.lepistream.vision.training.NoButterflyTuning;
import org.lepistream.vision.training.SegmenterTrainer;
import org.lepistream.vision.training.TrainedSegmenter;

class SegmenterTuningTest {
    private static final SegmenterConfig NET = new SegmenterConfig(32, List.of(4, 8, 16, 32));
    private static final NoButterflyTuning QUICK = new NoButterflyTuning(2, 3, 1e-3, 1);

    @TempDir
    static Path dir;
    static Dataset data;
    static List<Sample> empty;

    @BeforeAll
    static void generate() throws Exception {
        SyntheticButterflies.generate(dir.resolve("data"), new GenerateOptions(2, 1, 2, 0, 8, 48, 5, 0.25));
        data = Dataset.load(dir.resolve("data"));
        empty = NoButterflyTuning.emptyPhotos(BackgroundSwap.writeErased(data.split("train").subList(0, 6),
                dir.resolve("empty")), data.taxonomy().depth());
    }

    @Test
    void tooFewLabelsOrNoSegmenterKeepWhatThereIs() {
        // Nothing is trained here, so an uninitialised network stands in for the current segmenter.
        Segmenter current = Segmenter.build(NET);
        try (SegmenterTuning.Choice c = new SegmenterTuning(7, QUICK, 0.8).choose(Optional.of(current), 0, 0,
                data.split("train"), empty, data.split("val"), null)) {
            assertSame(current, c.segmenter());
            assertFalse(c.tuned());
            assertTrue(c.note().contains("6 NOT_A_BUTTERFLY photos, 7 needed"), c.note());
        }
        try (SegmenterTuning.Choice c = new SegmenterTuning(0, QUICK, 0.8).choose(Optional.of(current), 0, 0,
                data.split("train"), empty, data.split("val"), null)) {
            assertSame(current, c.segmenter());
            assertTrue(c.note().contains("tuning off"), c.note());
        }
        try (SegmenterTuning.Choice c = SegmenterTuning.DEFAULT.choose(Optional.empty(), 0, 0, data.split("train"), empty,
                data.split("val"), null)) {
            assertNull(c.segmenter());
        }
        assertThrows(IllegalArgumentException.class, () -> new SegmenterTuning(1, QUICK, 1.5));
    }

    @Test
    void onlyPhotosTheSegmenterHasNotLearnedFromStartATuning() {
        Segmenter current = Segmenter.build(NET);
        // Tuned on all 6 already, or refused on these 6 earlier in this run: nothing new, so no tuning. (Tuning this
        // uninitialised stand-in would throw, so a pass also shows that none was started.)
        for (int[] state : new int[][] {{6, 0}, {4, 6}}) {
            try (SegmenterTuning.Choice c = new SegmenterTuning(3, QUICK, 0).choose(Optional.of(current), state[0],
                    state[1], data.split("train"), empty, data.split("val"), null)) {
                assertSame(current, c.segmenter());
                assertEquals(SegmenterTuning.Outcome.KEPT, c.outcome(), c.note());
                assertEquals(state[0], c.tunedOn(), "the count the current segmenter learned from carries over");
                assertTrue(c.note().contains("no NOT_A_BUTTERFLY photos since"), c.note());
            }
        }
    }

    @Test
    void aTunedSegmenterIsKeptOnlyIfItStillAgreesWithTheCurrentOne() {
        try (TrainedSegmenter base = new SegmenterTrainer(NET, 3, 8, 2e-3, 3).withProgress(null)
                .train(SampleCache.build(data.split("train"), 40), SampleCache.build(List.of(), 32))) {
            Segmenter current = (Segmenter) base.model().getBlock();
            List<Sample> val = data.split("val");
            assertEquals(1.0, SegmenterTuning.agreement(current, current, val), 1e-12, "a segmenter agrees with itself");
            // The current segmenter learned from 5 of the 6 photos: one new photo is enough to tune it.
            try (SegmenterTuning.Choice c = new SegmenterTuning(6, QUICK, 0).choose(Optional.of(current), 5, 0,
                    data.split("train"), empty, val, null)) {
                assertTrue(c.tuned(), c.note());
                assertEquals(6, c.tunedOn(), "the tuned segmenter has learned from all 6");
                assertTrue(c.segmenter() != current, "a new segmenter, the current one untouched");
                double agreement = SegmenterTuning.agreement(current, c.segmenter(), val);
                assertTrue(agreement < 1.0, "tuning changed the masks: " + agreement);
                // The same tuning against a bar above what it reached is refused, and the current one kept.
                try (SegmenterTuning.Choice strict = new SegmenterTuning(6, QUICK, 1.0).choose(Optional.of(current), 0,
                        0, data.split("train"), empty, val, null)) {
                    assertSame(current, strict.segmenter());
                    assertEquals(SegmenterTuning.Outcome.REFUSED, strict.outcome());
                    assertTrue(strict.note().startsWith("tuned segmenter refused"), strict.note());
                }
            }
        }
    }
}
